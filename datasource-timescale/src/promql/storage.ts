// Loads the samples every selector of a query needs, with the series selection and the time
// range pushed into SQL (the adapter's series-select.ts and fetch.ts): per selector, the
// interval Prometheus' getTimeRangesForSelector would read — the query's span moved by offsets,
// `@` and enclosing subqueries, widened by the lookback or the range.

import type { Pool } from 'pg';
import { fetchSamples, SampleLimitError } from '../query/fetch';
import type { SeriesSelector } from '../query/series-select';
import type { AtModifier, Expr, VectorSelector } from './ast';
import { QueryCanceledError, QueryTimeoutError, TooManySamplesError, type SeriesData } from './engine';
import { compareLabels } from './labels';

export interface StorageDeps {
  pool: Pool;
  selector: SeriesSelector;
}

interface Need {
  selector: VectorSelector;
  mint: number;
  maxt: number;
}

const DEFAULT_SUBQUERY_STEP = 60_000;

/** SQLSTATE query_canceled: statement_timeout passed (the query's deadline), or pg_cancel_backend. */
const QUERY_CANCELED = '57014';

/** Every selector with the time range it reads. */
export function selectorRanges(expr: Expr, start: number, end: number, lookbackMs: number): Need[] {
  const needs: Need[] = [];
  const at = (a: AtModifier | undefined, t: number) =>
    a === undefined ? t : a === 'start' ? start : a === 'end' ? end : a;
  const walk = (e: Expr, from: number, to: number, window?: number): void => {
    switch (e.type) {
      case 'vector': {
        const lo = at(e.at, from) - e.offset;
        const hi = at(e.at, to) - e.offset;
        needs.push({ selector: e, mint: lo - (window ?? lookbackMs), maxt: hi });
        return;
      }
      case 'matrix':
        return walk(e.selector, from, to, e.range);
      case 'subquery': {
        const lo = at(e.at, from) - e.offset;
        const hi = at(e.at, to) - e.offset;
        const step = e.step || DEFAULT_SUBQUERY_STEP;
        return walk(e.expr, lo - e.range - step, hi);
      }
      case 'paren':
      case 'unary':
        return walk(e.expr, from, to);
      case 'call':
        return e.args.forEach((a) => walk(a, from, to));
      case 'aggregate':
        if (e.param) walk(e.param, from, to);
        return walk(e.expr, from, to);
      case 'binary':
        walk(e.lhs, from, to);
        return walk(e.rhs, from, to);
      default:
        return;
    }
  };
  walk(expr, start, end);
  return needs;
}

export async function loadSelectors(
  deps: StorageDeps,
  needs: Need[],
  maxSamples: number,
  deadline: number,
  signal?: AbortSignal,
): Promise<Map<VectorSelector, SeriesData[]>> {
  const out = new Map<VectorSelector, SeriesData[]>();
  let loaded = 0;
  for (const need of needs) {
    if (Date.now() > deadline) throw new QueryTimeoutError('query timed out in query execution');
    const series = await deps.selector.select(need.selector.matchers);
    let samples;
    try {
      samples = await fetchSamples(
        deps.pool,
        series.map((s) => s.id),
        Math.max(need.mint, -8.64e15),
        Math.min(need.maxt, 8.64e15),
        maxSamples - loaded,
        { timeoutMs: deadline - Date.now(), signal },
      );
    } catch (err) {
      if (err instanceof SampleLimitError) throw new TooManySamplesError();
      if (signal?.aborted) throw new QueryCanceledError('query was canceled in query execution');
      if ((err as { code?: string }).code === QUERY_CANCELED) {
        throw new QueryTimeoutError('query timed out in query execution');
      }
      throw err;
    }
    const data: SeriesData[] = [];
    for (const s of series) {
      const got = samples.get(s.id);
      if (!got || !got.length) continue;
      loaded += got.length;
      const labels = [...s.labels].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      data.push({ labels, times: got.times, values: got.values, stale: got.stale, length: got.length });
    }
    data.sort((a, b) => compareLabels([...a.labels], [...b.labels]));
    out.set(need.selector, data);
  }
  return out;
}
