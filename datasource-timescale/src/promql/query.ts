// An instant or range query from text to Prometheus' result JSON: parse, load, evaluate, format.

import type { QueryData, RangeSeries, SamplePair } from '@nester/contracts/prometheus/api';
import type { Expr } from './ast';
import { Evaluator, QueryTimeoutError, type QueryContext, type StepSeries } from './engine';
import { formatValue } from './format';
import { compareLabels, labelsObject, type Labels } from './labels';
import { parsePromQL, typeName, typeOf } from './parse';
import type { QueryStatsCollector } from './stats';
import { loadSelectors, selectorRanges, type StorageDeps } from './storage';

export class BadQueryError extends Error {
  override name = 'BadQueryError';
}

export interface QueryOptions {
  lookbackMs: number;
  maxSamples: number;
  deadline: number;
  signal?: AbortSignal;
  /** Filled in when the caller asked for Prometheus' `stats`. */
  stats?: QueryStatsCollector;
}

const pair = (t: number, v: string): SamplePair => [t / 1000, v];

export async function instantQuery(deps: StorageDeps, text: string, time: number, o: QueryOptions): Promise<QueryData> {
  const started = Date.now();
  const expr = parsePromQL(text);
  const ctx = await context(deps, text, expr, time, time, o);
  const prepared = Date.now();
  const data = await instantResult(ctx, expr, time);
  measured(o.stats, ctx, started, prepared);
  return data;
}

async function instantResult(ctx: QueryContext, expr: Expr, time: number): Promise<QueryData> {
  const value = await new Evaluator(ctx, time, time, 1).eval(expr);
  switch (value.kind) {
    case 'scalar':
      return { resultType: 'scalar', result: pair(time, formatValue(value.vals[0])) };
    case 'string':
      return { resultType: 'string', result: pair(time, value.value) };
    case 'vector':
      return {
        resultType: 'vector',
        result: value.series
          .filter((s) => s.has[0])
          .map((s) => ({ metric: labelsObject(s.labels), value: pair(time, formatValue(s.vals[0])) })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: value.series.map((s) => ({
          metric: labelsObject(s.labels),
          values: Array.from(s.times, (t, i) => pair(t, formatValue(s.values[i]))),
        })),
      };
  }
}

/** One series of a range query's answer, as numbers: its values at the steps where it has one. */
export interface RangeSeriesValues {
  labels: Labels;
  times: number[];
  values: number[];
}

export async function rangeQuery(
  deps: StorageDeps,
  text: string,
  start: number,
  end: number,
  step: number,
  o: QueryOptions,
): Promise<QueryData> {
  const series = await rangeValues(deps, text, start, end, step, o);
  const result: RangeSeries[] = series.map((s) => ({
    metric: labelsObject(s.labels),
    values: s.times.map((t, i) => pair(t, formatValue(s.values[i]))),
  }));
  return { resultType: 'matrix', result };
}

/**
 * A range query's series in label order, each with at least one point: what `rangeQuery` formats
 * as Prometheus' matrix, and what the datasource builder turns into data frames.
 */
export async function rangeValues(
  deps: StorageDeps,
  text: string,
  start: number,
  end: number,
  step: number,
  o: QueryOptions,
): Promise<RangeSeriesValues[]> {
  const started = Date.now();
  const expr = parsePromQL(text);
  const type = typeOf(expr);
  if (type !== 'scalar' && type !== 'vector') {
    throw new BadQueryError(
      `invalid expression type ${JSON.stringify(typeName(type))} for range query, must be Scalar or instant Vector`,
    );
  }
  const ctx = await context(deps, text, expr, start, end, o);
  const prepared = Date.now();
  const series = await rangeResult(ctx, expr, start, end, step);
  measured(o.stats, ctx, started, prepared);
  return series;
}

/** Prometheus' stats: preparation is parsing and loading, inner evaluation the rest. */
function measured(stats: QueryStatsCollector | undefined, ctx: QueryContext, started: number, prepared: number): void {
  if (!stats) return;
  stats.preparationMs = prepared - started;
  stats.innerEvalMs = Date.now() - prepared;
  stats.loadedSamples += ctx.loadedSamples;
  stats.peakSamples = ctx.samples;
}

async function rangeResult(
  ctx: QueryContext,
  expr: Expr,
  start: number,
  end: number,
  step: number,
): Promise<RangeSeriesValues[]> {
  const evaluator = new Evaluator(ctx, start, end, step);
  const value = await evaluator.eval(expr);
  let series: StepSeries[];
  if (value.kind === 'scalar') {
    series = [{ labels: [], vals: value.vals, has: new Uint8Array(evaluator.steps).fill(1) }];
  } else if (value.kind === 'vector') {
    series = [...value.series].sort((a, b) => compareLabels([...a.labels], [...b.labels]));
  } else {
    throw new BadQueryError(`invalid expression type for range query, must be Scalar or instant Vector`);
  }
  const result: RangeSeriesValues[] = [];
  for (const s of series) {
    const times: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < evaluator.steps; i++) {
      if (!s.has[i]) continue;
      times.push(evaluator.time(i));
      values.push(s.vals[i]);
    }
    if (times.length) result.push({ labels: s.labels, times, values });
  }
  return result;
}

async function context(
  deps: StorageDeps,
  _text: string,
  expr: ReturnType<typeof parsePromQL>,
  start: number,
  end: number,
  o: QueryOptions,
): Promise<QueryContext> {
  const needs = selectorRanges(expr, start, end, o.lookbackMs);
  const loading = loadSelectors(deps, needs, o.maxSamples, o.deadline, o.signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new QueryTimeoutError('query timed out in query execution')),
      Math.max(0, o.deadline - Date.now()),
    );
  });
  loading.catch(() => {}); // a load still running after the timeout must not be an unhandled rejection
  try {
    const data = await Promise.race([loading, timeout]);
    let loadedSamples = 0;
    for (const series of data.values()) for (const s of series) loadedSamples += s.length;
    return {
      loadedSamples,
      start,
      end,
      lookbackMs: o.lookbackMs,
      data,
      deadline: o.deadline,
      signal: o.signal,
      maxSamples: o.maxSamples,
      samples: 0,
      lastYield: Date.now(),
    };
  } finally {
    clearTimeout(timer);
  }
}
