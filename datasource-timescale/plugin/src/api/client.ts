// The adapter's query API, called through Grafana's datasource proxy: the browser asks
// `<instanceSettings.url>/api/v1/...` (/api/datasources/proxy/uid/<uid>/api/v1/...), and
// Grafana forwards it to the datasource URL with the read token added server-side (the
// route in plugin.json). The token never reaches the browser.
import { getBackendSrv } from '@grafana/runtime';
import type { PrometheusSuccess } from '@nester/contracts/prometheus/api';
import type { AdapterStatus } from '@nester/contracts/query/adapter-status';
import type { DsQueryRequest, DsQueryResponse } from '@nester/contracts/query/ds-query';
import { Observable, catchError, lastValueFrom, map, throwError } from 'rxjs';

import { toAdapterError } from './errors';

export class AdapterClient {
  constructor(private readonly baseUrl: string) {}

  private async get<T>(path: string, match: string[] = []): Promise<T> {
    const search = match.map((selector) => `match[]=${encodeURIComponent(selector)}`).join('&');
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<PrometheusSuccess<T>>({
          url: `${this.baseUrl}/api/v1/${path}${search ? `?${search}` : ''}`,
          method: 'GET',
          showErrorAlert: false,
        }),
      );
      return response.data.data;
    } catch (err) {
      throw toAdapterError(err);
    }
  }

  /** Label names, of the series `match` selects when given. */
  labelNames(match: string[] = []): Promise<string[]> {
    return this.get<string[]>('labels', match);
  }

  /** Values of one label (`__name__`: metric names), of the series `match` selects when given. */
  labelValues(label: string, match: string[] = []): Promise<string[]> {
    return this.get<string[]>(`label/${encodeURIComponent(label)}/values`, match);
  }

  status(): Promise<AdapterStatus> {
    return this.get<AdapterStatus>('status');
  }

  /**
   * Runs queries. A request whose queries all failed comes back as an HTTP error that still
   * carries the per-query results; it is handed on as results so each query shows its reason.
   */
  query(body: DsQueryRequest, requestId?: string): Observable<DsQueryResponse> {
    return getBackendSrv()
      .fetch<DsQueryResponse>({
        url: `${this.baseUrl}/api/v1/ds/query`,
        method: 'POST',
        data: body,
        requestId,
        showErrorAlert: false,
      })
      .pipe(
        map((response) => response.data),
        catchError((err: unknown) => {
          const data = (err as { data?: Partial<DsQueryResponse> } | undefined)?.data;
          if (data && typeof data === 'object' && data.results && typeof data.results === 'object') {
            return [data as DsQueryResponse];
          }
          return throwError(() => toAdapterError(err));
        }),
      );
  }
}
