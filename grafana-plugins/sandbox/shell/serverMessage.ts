/** The server's words in a BackendSrv error (a FetchError's data.message), if it has them. */
export function serverMessage(err: unknown): string | undefined {
  const data: unknown = err && typeof err === 'object' ? (err as { data?: unknown }).data : undefined;
  const message: unknown = data && typeof data === 'object' ? (data as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : undefined;
}
