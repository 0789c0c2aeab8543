// Evaluates a range query in the database, the way Prometheus' engine does at each step t of
// [start, end]: without a function, the newest sample within the lookback window [t - 5m, t]
// (none if it is a stale marker); with a range function, the function over the non-stale
// samples in [t - range, t]. One statement (range-sql.ts) in a read-only transaction under the
// query timeout; it refuses, before evaluating anything, to go on past the sample limit.

import type { Label } from '@nester/common/prompb/types';
import type { Pool } from 'pg';
import { SampleLimitError } from './fetch';
import { rangeQuerySql, usesBuckets, type BucketFunction } from './range-sql';
import type { SelectedSeries } from './series-select';
import type { RangeFunction } from '@nester/contracts/query/vocabulary';

export const LOOKBACK_DELTA_MS = 5 * 60_000;

export interface StepRange {
  start: number;
  end: number;
  step: number;
}

export interface ResultSeries {
  labels: Label[];
  times: number[];
  values: number[];
}

export interface EvaluationContext {
  pool: Pool;
  bucketFunction: BucketFunction;
  timeoutMs: number;
  maxSamples: number;
}

/** What the database refused for this query, not for a fault of its own. */
export class EvaluationError extends Error {
  override name = 'EvaluationError';
}

interface ResultRow {
  id: string | null;
  /** Step indexes, big-endian int4 each. */
  k: Buffer | null;
  /** Values, big-endian float8 each. */
  v: Buffer | null;
  samples: string | null;
}

export interface Statement {
  text: string;
  values: unknown[];
}

/** The one statement evaluating `fn` (undefined: the instant selector) over `seriesIds` at every step. */
export function rangeStatement(
  seriesIds: number[],
  steps: StepRange,
  fn: RangeFunction | undefined,
  rangeMs: number | undefined,
  ctx: Pick<EvaluationContext, 'bucketFunction' | 'maxSamples'>,
): Statement {
  const windowMs = fn ? rangeMs! : LOOKBACK_DELTA_MS;
  const lastStep = Math.floor((steps.end - steps.start) / steps.step);
  const values: unknown[] = [
    seriesIds,
    new Date(steps.start - windowMs).toISOString(),
    new Date(steps.end).toISOString(),
    steps.start,
    steps.step,
    lastStep,
    windowMs,
    ctx.maxSamples,
  ];
  if (usesBuckets(fn)) {
    // Buckets as wide as possible while every window is still a whole number of them.
    const width = gcd(steps.step, windowMs);
    values.push(`${width} milliseconds`, new Date(steps.start).toISOString(), windowMs - width);
  }
  return { text: rangeQuerySql(fn, ctx.bucketFunction), values };
}

/**
 * Set in the statement's transaction. Per series and time range an index-only scan in time order
 * is always the right plan; without statistics (fresh partitions) the planner would pick bitmap
 * scans and a sort.
 */
export const PLANNER_SETTINGS = ['SET LOCAL enable_bitmapscan = off'];

export async function evaluateInDatabase(
  ctx: EvaluationContext,
  series: SelectedSeries[],
  steps: StepRange,
  fn?: RangeFunction,
  rangeMs?: number,
): Promise<ResultSeries[]> {
  if (!series.length) return [];
  const statement = rangeStatement(
    series.map((s) => s.id),
    steps,
    fn,
    rangeMs,
    ctx,
  );

  const client = await ctx.pool.connect();
  let rows: ResultRow[];
  try {
    await client.query('BEGIN READ ONLY');
    try {
      await client.query(`SET LOCAL statement_timeout = ${Math.floor(ctx.timeoutMs)}`);
      for (const setting of PLANNER_SETTINGS) await client.query(setting);
      rows = (await client.query<ResultRow>(statement.text, statement.values)).rows;
    } finally {
      await client.query('ROLLBACK');
    }
  } catch (err) {
    client.release(true);
    const code = (err as { code?: string }).code;
    // PostgreSQL raises an error where Go's float arithmetic overflows to ±Inf or underflows to 0.
    if (code === '22003') throw new EvaluationError(`a value leaves float8's range: ${(err as Error).message}`);
    if (code === '57014') throw new EvaluationError(`the query ran longer than ${ctx.timeoutMs} ms`);
    throw err;
  }
  client.release();

  const read = Number(rows.find((row) => row.id === null)?.samples ?? 0);
  if (read > ctx.maxSamples) {
    throw new SampleLimitError(
      `the query reads more than ${ctx.maxSamples} samples; narrow the time range or the selector`,
    );
  }
  const labelsById = new Map(series.map((s) => [s.id, fn ? s.labels.filter((l) => l.name !== '__name__') : s.labels]));
  const results: ResultSeries[] = [];
  for (const row of rows) {
    if (row.id === null) continue;
    const n = row.k!.length / 4;
    const times = new Array<number>(n);
    const values = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      times[i] = steps.start + row.k!.readInt32BE(i * 4) * steps.step;
      values[i] = row.v!.readDoubleBE(i * 8);
    }
    results.push({ labels: labelsById.get(Number(row.id))!, times, values });
  }
  return results;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
