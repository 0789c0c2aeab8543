import { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { Observable, lastValueFrom } from 'rxjs';

function resolveUrl(url: string): string {
  // Grafana: relative API paths are relative to appSubUrl (empty here).
  return /^(https?:)?\/\//.test(url) || url.startsWith('/') ? url : `/${url}`;
}

function withParams(url: string, params?: Record<string, unknown>): string {
  if (!params) {
    return url;
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      search.append(key, String(item));
    }
  }
  const query = search.toString();
  return query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
}

async function parseBody(response: Response, responseType: BackendSrvRequest['responseType']): Promise<unknown> {
  if (responseType === 'text') {
    return response.text();
  }
  if (responseType === 'blob') {
    return response.blob();
  }
  if (responseType === 'arraybuffer') {
    return response.arrayBuffer();
  }
  const text = await response.text();
  if (text === '') {
    return {};
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Grafana's BackendSrv behaviour over window.fetch: same URLs, bodies, errors. */
export class SandboxBackendSrv implements BackendSrv {
  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      const controller = new AbortController();
      options.abortSignal?.addEventListener('abort', () => controller.abort());
      // Grafana types the request body `any`: text and form data go as they are, the rest as JSON.
      const payload: unknown = options.data;
      const body =
        payload === undefined || typeof payload === 'string' || payload instanceof FormData
          ? payload
          : JSON.stringify(payload);
      const headers: Record<string, string> = { 'X-Grafana-Org-Id': '1', ...(options.headers ?? {}) };
      if (body !== undefined && typeof payload !== 'string' && !(payload instanceof FormData)) {
        headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
      }
      fetch(withParams(resolveUrl(options.url), options.params), {
        method: options.method ?? 'GET',
        headers,
        body,
        credentials: options.credentials ?? 'same-origin',
        signal: controller.signal,
      })
        .then(async (response) => {
          const data = await parseBody(response, response.ok ? options.responseType : 'json');
          if (!response.ok) {
            const error: FetchError = {
              status: response.status,
              statusText: response.statusText,
              data: typeof data === 'string' ? { message: data || response.statusText } : data,
              config: options,
            };
            subscriber.error(error);
            return;
          }
          subscriber.next({
            data: data as T,
            status: response.status,
            statusText: response.statusText,
            ok: response.ok,
            headers: response.headers,
            redirected: response.redirected,
            type: response.type,
            url: response.url,
            config: options,
          });
          subscriber.complete();
        })
        .catch((err: unknown) => subscriber.error(err));
      return () => controller.abort();
    });
  }

  private async call<T>(options: BackendSrvRequest): Promise<T> {
    return (await lastValueFrom(this.fetch<T>(options))).data;
  }

  get<T>(url: string, params?: Record<string, unknown>, _requestId?: string, options?: Partial<BackendSrvRequest>) {
    return this.call<T>({ ...options, url, params, method: 'GET' });
  }
  delete<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.call<T>({ ...options, url, data, method: 'DELETE' });
  }
  post<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.call<T>({ ...options, url, data, method: 'POST' });
  }
  patch<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.call<T>({ ...options, url, data, method: 'PATCH' });
  }
  put<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) {
    return this.call<T>({ ...options, url, data, method: 'PUT' });
  }
  request<T>(options: BackendSrvRequest) {
    return this.call<T>(options);
  }
  datasourceRequest<T>(options: BackendSrvRequest) {
    return lastValueFrom(this.fetch<T>(options));
  }
  chunked(): Observable<FetchResponse<Uint8Array | undefined>> {
    throw new Error('chunked requests are not available in the sandbox');
  }
}
