// Grafana's BackendSrv for the plugin's jest tests: records each request and answers it from a
// handler, failing as Grafana's does (a FetchError carrying status and parsed body).
import { BackendSrv, BackendSrvRequest, FetchError, FetchResponse, setBackendSrv } from '@grafana/runtime';
import { Observable } from 'rxjs';

export interface Reply {
  status?: number;
  data: unknown;
}

export type Handler = (request: BackendSrvRequest) => Reply | Promise<Reply>;

export class FakeBackend {
  readonly requests: BackendSrvRequest[] = [];

  constructor(public handler: Handler) {}

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    this.requests.push(options);
    return new Observable((subscriber) => {
      Promise.resolve(this.handler(options)).then(
        ({ status = 200, data }) => {
          if (status >= 400) {
            // Grafana's processRequestError: a text body becomes {message}.
            const body = typeof data === 'string' ? { message: data, error: 'Bad Request', response: data } : data;
            const error: FetchError = { status, data: body, config: options, statusText: `HTTP ${status}` };
            subscriber.error(error);
            return;
          }
          subscriber.next({
            data: data as T,
            status,
            statusText: 'OK',
            ok: true,
            headers: new Headers(),
            redirected: false,
            type: 'basic',
            url: options.url,
            config: options,
          });
          subscriber.complete();
        },
        (err) => subscriber.error(err),
      );
    });
  }

  /** The paths asked for, query strings decoded, e.g. "GET /api/v1/labels?match[]=up". */
  calls(): string[] {
    return this.requests.map((r) => `${r.method ?? 'GET'} ${decodeURIComponent(r.url)}`);
  }
}

export function installFakeBackend(handler: Handler): FakeBackend {
  const backend = new FakeBackend(handler);
  setBackendSrv(backend as unknown as BackendSrv);
  return backend;
}

/** The adapter's label API answer. */
export const labels = (data: string[]): Reply => ({ data: { status: 'success', data } });
