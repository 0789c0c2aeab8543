import { IncomingMessage, ServerResponse } from 'node:http';

import { DatasourceRecord } from './datasourceStore';
import { forwardRequest } from './forward';
import { HttpError, sendJson } from './http';
import { SandboxUser } from './identity';

/**
 * The server half of Grafana's built-in Prometheus datasource (pkg/promlib), as far as the
 * sandbox needs it: the frontend (@grafana/prometheus, core/prometheus) asks Grafana, not
 * Prometheus, for
 *   /api/datasources/uid/<uid>/resources/<path>   forwarded to <url>/<path> (labels, series, metadata…)
 *   /api/datasources/uid/<uid>/health             "Save & test": an instant query of 1+1 (promlib's healthcheck)
 * with the datasource's HTTP settings applied: custom headers httpHeaderName<N> from jsonData and
 * httpHeaderValue<N> from secureJsonData (how a bearer token is configured for Prometheus).
 */
export const PROMETHEUS_TYPE = 'prometheus';

export interface PrometheusBackendContext {
  datasource: DatasourceRecord;
  user: SandboxUser;
  log: (line: string) => void;
}

/** The datasource's custom HTTP headers, as Grafana's HTTP client settings add them. */
export function customHeaders(ds: DatasourceRecord): Record<string, string> {
  const headers: Record<string, string> = {};
  const jsonData = ds.jsonData;
  const secure = ds.secureJsonData;
  for (let n = 1; typeof jsonData[`httpHeaderName${n}`] === 'string'; n++) {
    const name = String(jsonData[`httpHeaderName${n}`]).trim();
    const value = secure[`httpHeaderValue${n}`];
    if (name && typeof value === 'string') {
      headers[name.toLowerCase()] = value;
    }
  }
  return headers;
}

export function upstream(ds: DatasourceRecord, path: string, search = ''): URL {
  if (!/^https?:\/\//.test(ds.url)) {
    throw new HttpError(400, `the datasource's URL ${JSON.stringify(ds.url)} is not an http(s) URL`);
  }
  return new URL(`${ds.url.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}${search}`);
}

/** GET|POST /api/datasources/uid/<uid>/resources/<path>: promlib's resource handler. */
export function prometheusResource(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  search: string,
  ctx: PrometheusBackendContext,
): void {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'POST') {
    throw new HttpError(405, 'Method not allowed');
  }
  forwardRequest(req, res, {
    target: upstream(ctx.datasource, path, search),
    method,
    routeHeaders: customHeaders(ctx.datasource),
    user: ctx.user,
    sendUserHeader: false,
    // The browser's own credentials and Grafana's request headers stay with Grafana.
    dropHeaders: ['authorization', 'origin', 'referer', 'x-datasource-uid', 'x-plugin-id', 'x-grafana-org-id'],
    log: (line) => ctx.log(`prometheus resource ${ctx.datasource.uid} ${line}`),
  });
}

/** GET /api/datasources/uid/<uid>/health: promlib's healthcheck, an instant query of 1+1 at t=4s. */
export async function prometheusHealth(res: ServerResponse, ctx: PrometheusBackendContext): Promise<void> {
  const failed = (detail: string) =>
    sendJson(res, 400, {
      status: 'ERROR',
      message: `There was an error returned querying the Prometheus API. ${detail}`.trim(),
    });
  let answer: Response;
  try {
    answer = await fetch(upstream(ctx.datasource, 'api/v1/query'), {
      method: 'POST',
      headers: { ...customHeaders(ctx.datasource), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: '1+1', time: '4' }).toString(),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    failed((err as Error).message);
    return;
  }
  const text = await answer.text();
  let body: { status?: string; error?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    failed(`${answer.status}: ${text.slice(0, 200)}`);
    return;
  }
  ctx.log(`prometheus health ${ctx.datasource.uid} ${answer.status}`);
  if (answer.ok && body.status === 'success') {
    sendJson(res, 200, { status: 'OK', message: 'Successfully queried the Prometheus API.' });
    return;
  }
  failed(body.error ?? `${answer.status}`);
}
