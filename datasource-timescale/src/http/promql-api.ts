// Prometheus' query endpoints on the PromQL engine (src/promql):
//   GET|POST /api/v1/query        query, time, timeout
//   GET|POST /api/v1/query_range  query, start, end, step, timeout
// with Prometheus 2.42's parameter rules, answer shapes, error types and status codes
// (bad_data 400, execution 422, timeout 503, canceled 499).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrometheusError, PrometheusErrorType, QueryData, QueryResponse } from '@nester/contracts/prometheus/api';
import { sendJson } from '@nester/common/http/respond';
import { QueryCanceledError, QueryTimeoutError, TooManySamplesError } from '../promql/engine';
import { ConcurrencyLimiter } from '../promql/limiter';
import { ParseError } from '../promql/parse';
import { BadQueryError, instantQuery, rangeQuery } from '../promql/query';
import type { StorageDeps } from '../promql/storage';
import { QueryStatsCollector, queryStats } from '../promql/stats';
import { ExecutionError } from '../promql/vector';
import { FunctionError } from '../promql/range-functions';
import { parseDuration as parsePromDuration } from '../promql/literals';
import { isTransientDbError } from './transient-db-error';

export interface PromqlApiOptions extends StorageDeps {
  timeoutMs: number;
  maxSamples: number;
  lookbackMs: number;
  limiter: ConcurrencyLimiter;
}

class ApiError extends Error {
  constructor(
    readonly errorType: PrometheusErrorType,
    message: string,
  ) {
    super(message);
  }
}

const STATUS: Partial<Record<PrometheusErrorType, number>> = {
  bad_data: 400,
  execution: 422,
  timeout: 503,
  canceled: 499,
  unavailable: 503,
  internal: 500,
};

const MAX_POINTS = 11_000;

export async function handlePromQL(
  path: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  o: PromqlApiOptions,
): Promise<void> {
  const params = url.searchParams;
  const abort = new AbortController();
  const onClose = () => {
    if (!res.writableEnded) abort.abort();
  };
  res.on('close', onClose);
  try {
    const now = Date.now();
    let run: (deadline: number) => Promise<unknown>;
    let timeoutMs = o.timeoutMs;
    const text = params.get('query') ?? '';
    // Any non-empty `stats` asks for them, as in Prometheus 2.42 (`all` adds nothing there either).
    const stats = params.get('stats') ? new QueryStatsCollector() : undefined;
    if (path === '/api/v1/query') {
      const time = params.has('time') && params.get('time') !== '' ? parseTime(params.get('time')!, 'time') : now;
      timeoutMs = timeoutParam(params, timeoutMs);
      run = (deadline) => instantQuery(o, text, time, options(o, deadline, abort.signal, stats));
    } else {
      const start = parseTime(params.get('start') ?? '', 'start');
      const end = parseTime(params.get('end') ?? '', 'end');
      if (end < start) throw new ApiError('bad_data', 'end timestamp must not be before start time');
      const step = parseDurationParam(params.get('step') ?? '', 'step');
      if (step <= 0) {
        throw new ApiError(
          'bad_data',
          'zero or negative query resolution step widths are not accepted. Try a positive integer',
        );
      }
      if ((end - start) / step > MAX_POINTS) {
        throw new ApiError(
          'bad_data',
          'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
        );
      }
      timeoutMs = timeoutParam(params, timeoutMs);
      run = (deadline) => rangeQuery(o, text, start, end, step, options(o, deadline, abort.signal, stats));
    }
    const deadline = now + timeoutMs;
    const data = await o.limiter.run(
      deadline,
      () => {
        if (stats) stats.queueMs = Date.now() - now;
        return run(deadline);
      },
      () => new QueryTimeoutError('query timed out in query queue'),
    );
    const answer = stats ? { ...(data as QueryData), stats: queryStats(stats) } : (data as QueryData);
    sendJson(res, 200, { status: 'success', data: answer } satisfies QueryResponse, {
      'Cache-Control': 'no-store',
    });
  } catch (err) {
    const e = classify(err);
    if (e.errorType === 'internal') throw err;
    if (res.headersSent || res.destroyed) return;
    sendJson(
      res,
      STATUS[e.errorType] ?? 500,
      { status: 'error', errorType: e.errorType, error: e.message } satisfies PrometheusError,
      {
        'Cache-Control': 'no-store',
      },
    );
  } finally {
    res.off('close', onClose);
  }
}

function options(o: PromqlApiOptions, deadline: number, signal: AbortSignal, stats?: QueryStatsCollector) {
  return { lookbackMs: o.lookbackMs, maxSamples: o.maxSamples, deadline, signal, stats };
}

function classify(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ParseError) return new ApiError('bad_data', `invalid parameter "query": ${err.message}`);
  if (err instanceof BadQueryError) return new ApiError('bad_data', err.message);
  if (err instanceof QueryTimeoutError) return new ApiError('timeout', err.message);
  if (err instanceof QueryCanceledError) return new ApiError('canceled', err.message);
  if (err instanceof TooManySamplesError || err instanceof ExecutionError || err instanceof FunctionError) {
    return new ApiError('execution', err.message);
  }
  if (isTransientDbError(err))
    return new ApiError('unavailable', `database unavailable, retry later: ${(err as Error).message}`);
  return new ApiError('internal', (err as Error).message);
}

function timeoutParam(params: URLSearchParams, max: number): number {
  const text = params.get('timeout');
  if (!text) return max;
  return Math.min(max, parseDurationParam(text, 'timeout'));
}

/** Prometheus' parseTime: float seconds or RFC 3339; milliseconds. */
export function parseTime(text: string, name: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const seconds = Number(text);
    const whole = Math.trunc(seconds);
    const ms = whole * 1000 + Math.round((seconds - whole) * 1000);
    if (Number.isSafeInteger(ms) && Math.abs(ms) <= 8.64e15) return ms;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new ApiError(
    'bad_data',
    `invalid parameter ${JSON.stringify(name)}: cannot parse ${JSON.stringify(text)} to a valid timestamp`,
  );
}

/** Prometheus' parseDuration: float seconds or a duration like 1m30s; milliseconds. */
function parseDurationParam(text: string, name: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const ms = Math.trunc(Number(text) * 1000);
    if (Number.isSafeInteger(ms)) return ms;
    throw new ApiError(
      'bad_data',
      `invalid parameter ${JSON.stringify(name)}: cannot parse ${JSON.stringify(text)} to a valid duration. It overflows int64`,
    );
  }
  try {
    return parsePromDuration(text);
  } catch {
    throw new ApiError(
      'bad_data',
      `invalid parameter ${JSON.stringify(name)}: cannot parse ${JSON.stringify(text)} to a valid duration`,
    );
  }
}
