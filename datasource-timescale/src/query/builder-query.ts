// The datasource's builder query — a selector, an optional range function and aggregation, a step —
// compiled to PromQL (@nester/contracts/query/builder-promql) and evaluated by the PromQL engine as
// a range query over [from, to], exactly as /api/v1/query_range would; one Grafana data frame per
// resulting series. There is no second evaluator: what the builder shows is what PromQL answers.

import { parseDuration } from '@nester/common/config/units';
import { MatcherType } from '@nester/common/prompb/types';
import type { BuilderAdapterQuery } from '@nester/contracts/query/ds-query';
import { compileBuilder, METRIC_NAME, type BuilderMatcher } from '@nester/contracts/query/builder-promql';
import type { FrameJSON } from '@nester/contracts/query/frames';
import type { MatchOp } from '@nester/contracts/query/vocabulary';
import type { ConcurrencyLimiter } from '../promql/limiter';
import { QueryTimeoutError } from '../promql/engine';
import { rangeValues } from '../promql/query';
import type { StorageDeps } from '../promql/storage';
import { timeSeriesFrame } from './frames';
import { compileMatcher } from './matchers';
import { parseSelector, requireNonEmptyMatcher } from './selector';
import { MAX_SPAN_MS, MIN_TIME_MS, TIME_BOUNDS_TEXT } from './time-bounds';

export class QueryError extends Error {
  override name = 'QueryError';
}

/** A builder query of the ds/query body, as checked at the edge (http/ds-request.ts). */
export type BuilderQuery = Omit<BuilderAdapterQuery, 'kind' | 'hide'>;

/** What the engine needs: the same options /api/v1/query_range runs with. */
export interface EngineOptions extends StorageDeps {
  timeoutMs: number;
  maxSamples: number;
  lookbackMs: number;
  limiter: ConcurrencyLimiter;
}

/** Most points one query may produce per series (Prometheus' 11,000). */
export const MAX_POINTS = 11_000;

const OPS: Record<MatcherType, MatchOp> = {
  [MatcherType.EQ]: '=',
  [MatcherType.NEQ]: '!=',
  [MatcherType.RE]: '=~',
  [MatcherType.NRE]: '!~',
};

/** The builder query as the PromQL the engine runs, the range query's step and the function's range. */
export function compileQuery(
  query: BuilderQuery,
  from: number,
  to: number,
): { promql: string; step: number; rangeMs?: number } {
  const parsed = parseSelector(String(query.selector ?? ''));
  // Regex syntax and "matches everything" are refused here with the selector's own words.
  requireNonEmptyMatcher(parsed.map(compileMatcher));
  const matchers: BuilderMatcher[] = parsed.map((m) => ({ label: m.name, op: OPS[m.type], value: m.value }));
  const nameAt = matchers.findIndex((m) => m.label === '__name__' && m.op === '=' && METRIC_NAME.test(m.value));
  const metric = nameAt >= 0 ? matchers.splice(nameAt, 1)[0].value : undefined;

  const fn = query.function || undefined;
  const rangeMs = fn ? duration(query.range ?? '5m', 'range') : undefined;
  const step = chooseStep(query, from, to);
  if ((to - from) / step > MAX_POINTS) {
    throw new QueryError(`${Math.ceil((to - from) / step)} points per series is too many; use a larger step`);
  }
  const aggregation = query.aggregation?.op ? query.aggregation : undefined;
  return { promql: compileBuilder({ metric, matchers, function: fn, range: rangeMs, aggregation }), step, rangeMs };
}

export async function runBuilderQuery(
  engine: EngineOptions,
  query: BuilderQuery,
  from: number,
  to: number,
  signal?: AbortSignal,
): Promise<FrameJSON[]> {
  const { promql, step, rangeMs } = compileQuery(query, from, to);
  if (from - (rangeMs ?? engine.lookbackMs) < MIN_TIME_MS) {
    throw new QueryError(
      `the ${rangeMs ? 'range' : 'lookback'} before "from" reaches outside the times a query may name (${TIME_BOUNDS_TEXT})`,
    );
  }
  const deadline = Date.now() + engine.timeoutMs;
  const series = await engine.limiter.run(
    deadline,
    () =>
      rangeValues(engine, promql, from, to, step, {
        lookbackMs: engine.lookbackMs,
        maxSamples: engine.maxSamples,
        deadline,
        signal,
      }),
    () => new QueryTimeoutError('query timed out in query queue'),
  );
  return series.map((s) => timeSeriesFrame(query.refId, s, query.legendFormat));
}

function chooseStep(query: BuilderQuery, from: number, to: number): number {
  if (query.step !== undefined && query.step !== '') return duration(query.step, 'step');
  const byPoints = query.maxDataPoints ? Math.ceil((to - from) / query.maxDataPoints / 1000) * 1000 : 0;
  return Math.min(Math.ceil(Math.max(query.intervalMs ?? 0, byPoints, 1000)), MAX_SPAN_MS);
}

/** A duration of the ds/query body (`15s`, `1.5m`, or milliseconds) in whole milliseconds. */
function duration(value: string | number, what: string): number {
  let ms: number;
  try {
    ms = typeof value === 'number' ? value : parseDuration(value);
  } catch (err) {
    throw new QueryError(`${what}: ${(err as Error).message}`);
  }
  if (!Number.isInteger(ms) || ms <= 0 || ms > MAX_SPAN_MS) {
    throw new QueryError(
      `${what} must be a positive whole number of milliseconds or a duration like 15s, at most ${MAX_SPAN_MS} ms`,
    );
  }
  return ms;
}
