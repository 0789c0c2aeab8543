// The datasource's builder query: a selector, an optional range function and aggregation, a
// step; the selector and function evaluated in SQL with Prometheus' semantics (evaluate.ts,
// range-sql.ts), the aggregation across series here (aggregate.ts), and returned as one
// Grafana data frame per resulting series.

import { parseDuration } from '@nester/common/config/units';
import type { Pool } from 'pg';
import { aggregate } from './aggregate';
import { evaluateInDatabase, EvaluationError, LOOKBACK_DELTA_MS, type ResultSeries } from './evaluate';
import type { BucketFunction } from './range-sql';
import type { FrameJSON } from '@nester/contracts/query/frames';
import { timeSeriesFrame } from './frames';
import { compileMatcher, MatcherError } from './matchers';
import { parseSelector, requireNonEmptyMatcher } from './selector';
import { compareLabels, type SeriesSelector } from './series-select';
import type { AdapterAggregation, BuilderAdapterQuery } from '@nester/contracts/query/ds-query';
import { AGGREGATIONS, RANGE_FUNCTIONS } from '@nester/contracts/query/vocabulary';
import { MAX_SPAN_MS, MIN_TIME_MS, TIME_BOUNDS_TEXT } from './time-bounds';

export class QueryError extends Error {
  override name = 'QueryError';
}

/** A builder query of the ds/query body, as checked at the edge (http/ds-request.ts). */
export type BuilderQuery = Omit<BuilderAdapterQuery, 'kind' | 'hide'>;

export interface QueryContext {
  pool: Pool;
  selector: SeriesSelector;
  /** date_bin on plain PostgreSQL, time_bucket on TimescaleDB. */
  bucketFunction: BucketFunction;
  timeoutMs: number;
  maxSamples: number;
  /** Most points one query may produce per series. */
  maxPoints: number;
}

export async function runBuilderQuery(
  ctx: QueryContext,
  query: BuilderQuery,
  from: number,
  to: number,
): Promise<FrameJSON[]> {
  const matchers = parseSelector(String(query.selector ?? '')).map(compileMatcher);
  requireNonEmptyMatcher(matchers);
  const fn = query.function || undefined;
  if (fn !== undefined && !RANGE_FUNCTIONS.includes(fn)) {
    throw new QueryError(`unknown function ${JSON.stringify(fn)}; use one of ${RANGE_FUNCTIONS.join(', ')}`);
  }
  const rangeMs = fn ? duration(query.range ?? '5m', 'range') : undefined;
  if (from - (rangeMs ?? LOOKBACK_DELTA_MS) < MIN_TIME_MS) {
    throw new QueryError(
      `the ${fn ? 'range' : 'lookback'} before "from" reaches outside the times a query may name (${TIME_BOUNDS_TEXT})`,
    );
  }
  const step = chooseStep(query, from, to);
  if ((to - from) / step > ctx.maxPoints) {
    throw new QueryError(`${Math.ceil((to - from) / step)} points per series is too many; use a larger step`);
  }
  const aggregation = query.aggregation?.op ? checkAggregation(query.aggregation) : undefined;

  const series = await ctx.selector.select(matchers);
  let results: ResultSeries[];
  try {
    results = await evaluateInDatabase(ctx, series, { start: from, end: to, step }, fn, rangeMs);
  } catch (err) {
    if (err instanceof EvaluationError) throw new QueryError(err.message);
    throw err;
  }
  if (aggregation) results = aggregate(results, aggregation);
  results.sort((a, b) => compareLabels(a.labels, b.labels));
  return results.map((r) => timeSeriesFrame(query.refId, r, query.legendFormat));
}

function chooseStep(query: BuilderQuery, from: number, to: number): number {
  if (query.step !== undefined && query.step !== '') return positive(duration(query.step, 'step'), 'step');
  const byPoints = query.maxDataPoints ? Math.ceil((to - from) / query.maxDataPoints / 1000) * 1000 : 0;
  return Math.min(Math.ceil(Math.max(query.intervalMs ?? 0, byPoints, 1000)), MAX_SPAN_MS);
}

function duration(value: string | number, what: string): number {
  if (typeof value === 'number') return positive(value, what);
  try {
    return positive(parseDuration(value), what);
  } catch (err) {
    throw new QueryError(`${what}: ${(err as Error).message}`);
  }
}

function positive(ms: number, what: string): number {
  if (!Number.isInteger(ms) || ms <= 0 || ms > MAX_SPAN_MS) {
    throw new QueryError(
      `${what} must be a positive whole number of milliseconds or a duration like 15s, at most ${MAX_SPAN_MS} ms`,
    );
  }
  return ms;
}

function checkAggregation(aggregation: AdapterAggregation): AdapterAggregation {
  const op = aggregation.op;
  if (!AGGREGATIONS.includes(op)) {
    throw new QueryError(`unknown aggregation ${JSON.stringify(op)}; use one of ${AGGREGATIONS.join(', ')}`);
  }
  if (aggregation.by && aggregation.without) throw new QueryError('an aggregation takes "by" or "without", not both');
  for (const name of [...(aggregation.by ?? []), ...(aggregation.without ?? [])]) {
    if (typeof name !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) {
      throw new MatcherError(`invalid label name ${JSON.stringify(name)} in aggregation`);
    }
  }
  return aggregation;
}
