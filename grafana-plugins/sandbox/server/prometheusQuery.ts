import { customHeaders, upstream } from './prometheusBackend';
import { DatasourceRecord } from './datasourceStore';
import { HttpError } from './http';
import { IntervalInput, alignToStep, interpolateExpression, queryStep } from './prometheusInterval';

/**
 * POST /api/ds/query for Grafana's built-in Prometheus datasource: what Grafana's server
 * (pkg/promlib) does with the frontend's queries. Variables resolved (prometheusInterval.ts), the
 * range aligned to the step, query_range (and/or query) asked of the datasource's URL with its
 * headers, and each series answered as a data frame named by the legend format.
 */

export interface PrometheusTarget {
  refId: string;
  expr: string;
  range?: boolean;
  instant?: boolean;
  interval?: string;
  intervalMs?: number;
  intervalFactor?: number;
  maxDataPoints?: number;
  legendFormat?: string;
}

interface PromSeries {
  metric: Record<string, string>;
  values?: [number, string][];
  value?: [number, string];
}

export interface FrameJson {
  schema: {
    name?: string;
    refId: string;
    meta: Record<string, unknown>;
    fields: Array<{ name: string; type: string; labels?: Record<string, string>; config: Record<string, unknown> }>;
  };
  data: { values: [number[], number[]] };
}

export interface QueryResult {
  status: number;
  frames: FrameJson[];
  error?: string;
}

/** Reads one query of the request body, refusing what promlib would not run. */
export function prometheusTarget(raw: unknown): PrometheusTarget {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new HttpError(400, 'each query must be an object');
  const q = raw as Record<string, unknown>;
  const text = (key: string) => {
    const value = q[key];
    return typeof value === 'string' ? value : undefined;
  };
  const count = (key: string) => {
    const value = q[key];
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  return {
    refId: text('refId') ?? 'A',
    expr: text('expr') ?? '',
    range: q.range === true,
    instant: q.instant === true,
    interval: text('interval'),
    intervalMs: count('intervalMs'),
    intervalFactor: count('intervalFactor'),
    maxDataPoints: count('maxDataPoints'),
    legendFormat: text('legendFormat'),
  };
}

export async function runPrometheusQuery(
  ds: DatasourceRecord,
  target: PrometheusTarget,
  fromMs: number,
  toMs: number,
): Promise<QueryResult> {
  if (!target.expr.trim()) return { status: 200, frames: [] };
  const scrape = ds.jsonData.timeInterval;
  const input: IntervalInput = { ...target, fromMs, toMs, scrapeInterval: typeof scrape === 'string' ? scrape : '' };
  const stepMs = queryStep(input);
  const expr = interpolateExpression(target.expr, input, stepMs);
  const meta = {
    type: 'timeseries-multi',
    typeVersion: [0, 1],
    executedQueryString: `Expr: ${expr}\nStep: ${stepMs / 1000}s`,
  };
  const frames: FrameJson[] = [];
  const asks: [string, Record<string, string>][] = [];
  if (target.range || !target.instant) {
    asks.push([
      'api/v1/query_range',
      {
        query: expr,
        start: String(alignToStep(fromMs, stepMs) / 1000),
        end: String(alignToStep(toMs, stepMs) / 1000),
        step: String(stepMs / 1000),
      },
    ]);
  }
  if (target.instant) asks.push(['api/v1/query', { query: expr, time: String(toMs / 1000) }]);
  for (const [path, params] of asks) {
    const answer = await ask(ds, path, params);
    if ('error' in answer) return { status: answer.status, frames: [], error: answer.error };
    for (const series of answer.series) frames.push(seriesFrame(target, series, stepMs, expr, meta));
  }
  return { status: 200, frames };
}

async function ask(
  ds: DatasourceRecord,
  path: string,
  params: Record<string, string>,
): Promise<{ series: PromSeries[] } | { status: number; error: string }> {
  let response: Response;
  try {
    response = await fetch(upstream(ds, path), {
      method: 'POST',
      headers: { ...customHeaders(ds), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    return { status: 502, error: `Post "${path}": ${(err as Error).message}` };
  }
  const text = await response.text();
  let body: { status?: string; error?: string; errorType?: string; data?: { resultType?: string; result?: unknown } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return { status: 502, error: `${response.status}: ${text.slice(0, 200)}` };
  }
  if (body.status !== 'success') {
    return {
      status: response.status >= 400 ? response.status : 400,
      error: `${body.errorType ?? 'error'}: ${body.error ?? text.slice(0, 200)}`,
    };
  }
  const result = body.data?.result;
  if (body.data?.resultType === 'scalar' && Array.isArray(result)) {
    return { series: [{ metric: {}, value: result as [number, string] }] };
  }
  return { series: Array.isArray(result) ? (result as PromSeries[]) : [] };
}

function seriesFrame(
  target: PrometheusTarget,
  series: PromSeries,
  stepMs: number,
  expr: string,
  meta: Record<string, unknown>,
): FrameJson {
  const points = series.values ?? (series.value ? [series.value] : []);
  const name = legendName(target.legendFormat, series.metric, expr);
  return {
    schema: {
      name,
      refId: target.refId,
      meta,
      fields: [
        { name: 'Time', type: 'time', config: { interval: stepMs } },
        { name: 'Value', type: 'number', labels: series.metric, config: name ? { displayNameFromDS: name } : {} },
      ],
    },
    data: { values: [points.map(([t]) => Math.round(t * 1000)), points.map(([, v]) => Number(v))] },
  };
}

/** promlib's getName: the legend format with {{label}} filled in, or the series as metric{labels}. */
export function legendName(legendFormat: string | undefined, labels: Record<string, string>, expr: string): string {
  let legend: string;
  if (legendFormat === '__auto') {
    legend = Object.keys(labels).length ? '' : metricName(labels);
  } else if (legendFormat) {
    legend = legendFormat.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
  } else {
    legend = metricName(labels);
  }
  return legend === '{}' ? expr : legend;
}

function metricName(labels: Record<string, string>): string {
  const { __name__: name = '', ...rest } = labels;
  const pairs = Object.entries(rest)
    .map(([key, value]) => `${key}="${value}"`)
    .sort();
  if (!pairs.length) return name || '{}';
  return `${name}{${pairs.join(', ')}}`;
}
