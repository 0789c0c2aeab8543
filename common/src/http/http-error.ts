// The error a request handler throws to answer with a status: the message is shown to the
// caller, so it says what to do; headers go with the answer (Allow, WWW-Authenticate, Retry-After).

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
