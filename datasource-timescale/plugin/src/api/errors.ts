// What went wrong talking to the adapter through Grafana's datasource proxy, in words a user
// can act on. Grafana's proxy turns the adapter's 401 into a 400 with the text "Authentication
// to data source failed" (pkg/api/pluginproxy/ds_proxy.go), so both mean: the token is wrong.
import { isFetchError } from '@grafana/runtime';

export type AdapterErrorKind =
  'auth' | 'bad-request' | 'forbidden' | 'not-found' | 'limit' | 'unavailable' | 'unreachable' | 'error';

export class AdapterError extends Error {
  constructor(
    readonly kind: AdapterErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export const GRAFANA_AUTH_FAILED = 'Authentication to data source failed';

/** The reason the adapter (or Grafana) gave: adapter JSON {error}, Grafana JSON {message}, or text. */
function reasonOf(data: unknown): string {
  if (typeof data === 'string') {
    return data.trim();
  }
  if (data && typeof data === 'object') {
    const body = data as { error?: unknown; message?: unknown };
    // The adapter's errors are {status, errorType, error}; Grafana's own are {message}.
    if (typeof body.error === 'string' && body.error && body.error !== 'Bad Request') {
      return body.error;
    }
    if (typeof body.message === 'string') {
      return body.message;
    }
  }
  return '';
}

export function toAdapterError(err: unknown): AdapterError {
  if (err instanceof AdapterError) {
    return err;
  }
  if (!isFetchError(err)) {
    return new AdapterError('error', err instanceof Error ? err.message : String(err));
  }
  const status = err.status;
  const reason = reasonOf(err.data) || err.statusText || '';
  if (status === 401 || (status === 400 && reason === GRAFANA_AUTH_FAILED)) {
    return new AdapterError(
      'auth',
      "The adapter refused the read token (401). Set the datasource's read token to one of the tokens " +
        "in the adapter's --auth.read-token-file.",
      401,
    );
  }
  switch (status) {
    case 400:
      return new AdapterError('bad-request', `The adapter refused the request: ${reason}`, status);
    case 403:
      return new AdapterError(
        'forbidden',
        /no read tokens/.test(reason)
          ? `The adapter has no read token configured (${reason}); start it with --auth.read-token-file.`
          : `Access denied: ${reason || 'forbidden'}`,
        status,
      );
    case 404:
      return new AdapterError(
        'not-found',
        `Nothing answers this at the datasource URL (404${reason ? `: ${reason}` : ''}). ` +
          "Is the URL the adapter's own address, such as http://adapter.example.net:9201?",
        status,
      );
    case 413:
    case 422:
      return new AdapterError('limit', `The adapter's limits refused the query: ${reason}`, status);
    case 502:
      return new AdapterError(
        'unreachable',
        'Grafana could not reach the adapter at the datasource URL (502 Bad Gateway). Check the URL and that the adapter runs.',
        status,
      );
    case 503:
      return new AdapterError('unavailable', `The adapter is unavailable (503): ${reason || 'retry later'}`, status);
    case 504:
      return new AdapterError('unreachable', 'The adapter did not answer in time (504 Gateway Timeout).', status);
    default:
      if (!status) {
        return new AdapterError('unreachable', `The request did not reach Grafana: ${reason || 'network error'}`);
      }
      return new AdapterError('error', `HTTP ${status}${reason ? `: ${reason}` : ''}`, status);
  }
}
