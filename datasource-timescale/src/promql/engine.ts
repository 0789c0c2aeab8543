// Evaluates a parsed PromQL expression over the steps of an instant or range query, as
// Prometheus 2.42's evaluator does: every node yields its values at every step (dense arrays
// per series), functions and operators run step by step on Prometheus' Vector shape, range
// functions slide a window over the samples storage.ts loaded. Between steps and series the
// evaluation yields to the event loop (so ingest and health checks are served while a big query
// runs) and checks its deadline.

import { MatcherType } from '@nester/common/prompb/types';
import type { Expr, MatrixSelector, Subquery, VectorSelector, AtModifier, Call, Aggregate, Binary } from './ast';
import { aggregate, type GroupCache } from './aggregate';
import {
  scalarBinop,
  signatureFunc,
  vectorAnd,
  vectorBinop,
  vectorOr,
  vectorScalarBinop,
  type ResultLabels,
  vectorUnless,
} from './binary';
import { INSTANT_FUNCTIONS, type StepArg } from './instant-functions';
import { dropMetricName, labelsKey, METRIC_NAME, type Labels } from './labels';
import { typeOf } from './parse';
import { RANGE_FUNCTIONS, type Window } from './range-functions';
import { ExecutionError, type Vector } from './vector';

export interface SeriesData {
  labels: Labels;
  times: Float64Array;
  values: Float64Array;
  stale: Uint8Array;
  length: number;
}

export class QueryTimeoutError extends Error {
  override name = 'QueryTimeoutError';
}
export class QueryCanceledError extends Error {
  override name = 'QueryCanceledError';
}
export class TooManySamplesError extends Error {
  override name = 'TooManySamplesError';
  constructor() {
    super('query processing would load too many samples into memory in query execution');
  }
}

export interface QueryContext {
  /** The query's own start and end (what `@ start()` and `@ end()` name), ms. */
  start: number;
  end: number;
  lookbackMs: number;
  /**
   * Each selector's samples, dropped once the selector is evaluated (every selector node is
   * evaluated once), so a query's peak memory is not the sum of all its selectors' samples.
   */
  data: Map<VectorSelector, SeriesData[]>;
  /** Samples loaded for all selectors (Prometheus' stats). */
  loadedSamples: number;
  deadline: number;
  signal?: AbortSignal;
  maxSamples: number;
  /** Points held by evaluated selector results so far (Prometheus' currentSamples, roughly). */
  samples: number;
  lastYield: number;
}

/** Per series, the value at each step where it has one. */
export interface StepSeries {
  labels: Labels;
  vals: Float64Array;
  has: Uint8Array;
  /** The samples' own times (timestamp() of a selector). */
  times?: Float64Array;
}

export interface RawSeries {
  labels: Labels;
  times: Float64Array;
  values: Float64Array;
}

export type Value =
  | { kind: 'scalar'; vals: Float64Array }
  | { kind: 'vector'; series: StepSeries[] }
  | { kind: 'string'; value: string }
  | { kind: 'matrix'; series: RawSeries[] };

const DEFAULT_SUBQUERY_STEP = 60_000;
const YIELD_EVERY_MS = 10;

export class Evaluator {
  readonly steps: number;

  constructor(
    private readonly q: QueryContext,
    readonly start: number,
    readonly end: number,
    readonly interval: number,
  ) {
    this.steps = Math.floor((end - start) / interval) + 1;
  }

  time(i: number): number {
    return this.start + i * this.interval;
  }

  async eval(e: Expr): Promise<Value> {
    await this.tick();
    switch (e.type) {
      case 'number':
        return { kind: 'scalar', vals: new Float64Array(this.steps).fill(e.value) };
      case 'string':
        return { kind: 'string', value: e.value };
      case 'paren':
        return this.eval(e.expr);
      case 'vector':
        return this.vectorSelector(e, false);
      case 'matrix': {
        const series = this.matrixSelector(e, this.atOrTime(e.selector.at, this.start));
        this.release(e.selector);
        return { kind: 'matrix', series };
      }
      case 'subquery':
        return { kind: 'matrix', series: await this.subquery(e) };
      case 'unary': {
        const v = await this.eval(e.expr);
        if (e.op === '+') return v;
        if (v.kind === 'scalar') return { kind: 'scalar', vals: v.vals.map((x) => -x) };
        if (v.kind !== 'vector') throw new ExecutionError('unary minus on a non-numeric value');
        const series = v.series.map((s) => ({ ...s, labels: dropMetricName(s.labels), vals: s.vals.map((x) => -x) }));
        assertUniqueLabelsets(series);
        return { kind: 'vector', series };
      }
      case 'call':
        return this.call(e);
      case 'aggregate':
        return this.aggregate(e);
      case 'binary':
        return this.binary(e);
    }
  }

  private atOrTime(at: AtModifier | undefined, t: number): number {
    if (at === undefined) return t;
    return at === 'start' ? this.q.start : at === 'end' ? this.q.end : at;
  }

  /** The newest sample in [ref - lookback, ref] at each step, unless it is a stale marker. */
  private vectorSelector(sel: VectorSelector, withTimes: boolean): Value {
    const out: StepSeries[] = [];
    for (const data of this.q.data.get(sel) ?? []) {
      const vals = new Float64Array(this.steps);
      const has = new Uint8Array(this.steps);
      const times = withTimes ? new Float64Array(this.steps) : undefined;
      let any = false;
      for (let i = 0; i < this.steps; i++) {
        const ref = this.atOrTime(sel.at, this.time(i)) - sel.offset;
        const idx = upperBound(data.times, ref, data.length) - 1;
        if (idx < 0 || data.times[idx] < ref - this.q.lookbackMs || data.stale[idx]) continue;
        vals[i] = data.values[idx];
        has[i] = 1;
        if (times) times[i] = data.times[idx];
        any = true;
        if (++this.q.samples > this.q.maxSamples) throw new TooManySamplesError();
      }
      if (any) out.push({ labels: data.labels, vals, has, times });
    }
    this.release(sel);
    return { kind: 'vector', series: out };
  }

  /** Non-stale samples in [ref - range, ref] (ref = evaluation time - offset). */
  private matrixSelector(m: MatrixSelector, t: number): RawSeries[] {
    const ref = t - m.selector.offset;
    const out: RawSeries[] = [];
    for (const s of this.nonStale(m.selector)) {
      const lo = lowerBound(s.times, ref - m.range, s.times.length);
      const hi = upperBound(s.times, ref, s.times.length);
      if (hi > lo) out.push({ labels: s.labels, times: s.times.slice(lo, hi), values: s.values.slice(lo, hi) });
    }
    return out;
  }

  private readonly nonStaleCache = new Map<VectorSelector, RawSeries[]>();

  /** The selector's samples are no longer needed: let them be collected. */
  private release(sel: VectorSelector): void {
    this.q.data.delete(sel);
    this.nonStaleCache.delete(sel);
  }

  private nonStale(sel: VectorSelector): RawSeries[] {
    let cached = this.nonStaleCache.get(sel);
    if (!cached) {
      cached = (this.q.data.get(sel) ?? []).map((d) => {
        // Most series hold no stale marker: their arrays serve as they are, not copied.
        if (!d.stale.includes(1)) {
          const whole = d.times.length === d.length;
          return {
            labels: d.labels,
            times: whole ? d.times : d.times.subarray(0, d.length),
            values: whole ? d.values : d.values.subarray(0, d.length),
          };
        }
        const keep: number[] = [];
        for (let i = 0; i < d.length; i++) if (!d.stale[i]) keep.push(i);
        return {
          labels: d.labels,
          times: Float64Array.from(keep, (i) => d.times[i]),
          values: Float64Array.from(keep, (i) => d.values[i]),
        };
      });
      this.nonStaleCache.set(sel, cached);
    }
    return cached;
  }

  /** The inner expression at steps aligned to the subquery's step, over its range before each evaluation time. */
  private async subquery(sq: Subquery): Promise<RawSeries[]> {
    const step = sq.step || DEFAULT_SUBQUERY_STEP;
    const outerStart = this.atOrTime(sq.at, this.start) - sq.offset;
    const outerEnd = this.atOrTime(sq.at, this.end) - sq.offset;
    let innerStart = step * Math.trunc((outerStart - sq.range) / step);
    if (innerStart < outerStart - sq.range) innerStart += step;
    if (innerStart > outerEnd) return [];
    const inner = new Evaluator(this.q, innerStart, outerEnd, step);
    const v = await inner.eval(sq.expr);
    if (v.kind !== 'vector') throw new ExecutionError('subquery is only allowed on instant vector');
    return v.series.map((s) => {
      const times: number[] = [];
      const values: number[] = [];
      for (let i = 0; i < inner.steps; i++) {
        if (s.has[i]) {
          times.push(inner.time(i));
          values.push(s.vals[i]);
        }
      }
      return { labels: s.labels, times: Float64Array.from(times), values: Float64Array.from(values) };
    });
  }

  private async call(e: Call): Promise<Value> {
    const args = e.args.map(unwrapParen);
    const matrixIndex = args.findIndex((a) => a.type === 'matrix' || a.type === 'subquery');
    if (matrixIndex >= 0) return this.rangeCall(e, args, matrixIndex);
    switch (e.func) {
      case 'time':
        return { kind: 'scalar', vals: Float64Array.from({ length: this.steps }, (_, i) => this.time(i) / 1000) };
      case 'pi':
        return { kind: 'scalar', vals: new Float64Array(this.steps).fill(Math.PI) };
      case 'scalar': {
        const v = (await this.eval(args[0])) as Extract<Value, { kind: 'vector' }>;
        const vals = new Float64Array(this.steps).fill(NaN);
        const counts = new Uint32Array(this.steps);
        for (const s of v.series) {
          for (let i = 0; i < this.steps; i++) {
            if (s.has[i]) {
              counts[i]++;
              vals[i] = counts[i] === 1 ? s.vals[i] : NaN;
            }
          }
        }
        return { kind: 'scalar', vals };
      }
      case 'absent': {
        const v = await this.eval(args[0]);
        const labels = absentLabels(args[0]);
        return this.perStep([v], ([vec]) => ((vec as Vector).length ? [] : [{ labels, v: 1 }]));
      }
    }
    const fn = INSTANT_FUNCTIONS[e.func];
    if (!fn) throw new ExecutionError(`function ${JSON.stringify(e.func)} is not supported`);
    const values: Value[] = [];
    for (const a of args) {
      values.push(e.func === 'timestamp' && a.type === 'vector' ? this.vectorSelector(a, true) : await this.eval(a));
    }
    return this.perStep(values, (stepArgs, t) => fn(stepArgs, { t }));
  }

  private async rangeCall(e: Call, args: Expr[], matrixIndex: number): Promise<Value> {
    const arg = args[matrixIndex] as MatrixSelector | Subquery;
    const scalars: Float64Array[] = [];
    for (const [i, a] of args.entries()) {
      if (i === matrixIndex) continue;
      const v = await this.eval(a);
      if (v.kind !== 'scalar') throw new ExecutionError(`expected a scalar argument to ${e.func}`);
      scalars.push(v.vals);
    }
    let source: RawSeries[];
    let range: number;
    let offset: number;
    let at: AtModifier | undefined;
    if (arg.type === 'matrix') {
      source = this.nonStale(arg.selector);
      ({ range } = arg);
      ({ offset, at } = arg.selector);
    } else {
      source = await this.subquery(arg);
      ({ range, offset, at } = arg);
    }
    const keepName = e.func === 'last_over_time';
    const out: StepSeries[] = [];
    const f = RANGE_FUNCTIONS[e.func];
    const absent = e.func === 'absent_over_time';
    const covered = new Uint8Array(this.steps);
    // One window object for every step, its bounds moved along (f reads it, never keeps it).
    const w: Window = {
      times: new Float64Array(0),
      values: new Float64Array(0),
      lo: 0,
      hi: 0,
      rangeStart: 0,
      rangeEnd: 0,
      rangeMs: range,
      stepTime: 0,
      scalars: scalars.map(() => 0),
    };
    for (const s of source) {
      await this.tick();
      const vals = new Float64Array(this.steps);
      const has = new Uint8Array(this.steps);
      const n = s.times.length;
      // The window's bounds only move forward from step to step: slide them instead of searching.
      let lo = 0;
      let end = 0; // first index past the window
      let prevFrom = -Infinity;
      let prevTo = -Infinity;
      let any = false;
      for (let i = 0; i < this.steps; i++) {
        // One long series is many windows: yield inside it too, not only between series.
        if (Date.now() - this.q.lastYield >= YIELD_EVERY_MS) await this.tick();
        const t = this.time(i);
        let rangeEnd = this.atOrTime(at, t) - offset;
        let rangeStart = rangeEnd - range;
        let [from, to] = [rangeStart, rangeEnd];
        if (at !== undefined && e.func === 'predict_linear') {
          // 2.42 does not make predict_linear step-invariant: its window moves with the step
          // from the @ time (offset + start - @), over only the samples loaded around @.
          rangeEnd = t - offset - (this.start - this.atOrTime(at, this.start));
          rangeStart = rangeEnd - range;
          from = Math.max(rangeStart, to - range);
          to = Math.min(rangeEnd, to);
        }
        if (from < prevFrom || to < prevTo) {
          lo = lowerBound(s.times, from, n);
          end = upperBound(s.times, to, n);
        } else {
          while (lo < n && s.times[lo] < from) lo++;
          if (end < lo) end = lo;
          while (end < n && s.times[end] <= to) end++;
        }
        prevFrom = from;
        prevTo = to;
        const hi = end - 1;
        if (hi < lo) continue;
        if (absent) {
          covered[i] = 1;
          continue;
        }
        w.times = s.times;
        w.values = s.values;
        w.lo = lo;
        w.hi = hi;
        w.rangeStart = rangeStart;
        w.rangeEnd = rangeEnd;
        w.stepTime = t;
        for (let k = 0; k < scalars.length; k++) w.scalars[k] = scalars[k][i];
        const v = f(w);
        if (v === undefined) continue;
        vals[i] = v;
        has[i] = 1;
        any = true;
      }
      if (any) out.push({ labels: keepName ? s.labels : dropMetricName(s.labels), vals, has });
    }
    if (arg.type === 'matrix') this.release(arg.selector);
    if (absent) {
      const labels = absentLabels(arg);
      const has = covered.map((c) => 1 - c);
      return {
        kind: 'vector',
        series: has.some((h) => h === 1) ? [{ labels, vals: new Float64Array(this.steps).fill(1), has }] : [],
      };
    }
    assertUniqueLabelsets(out);
    return { kind: 'vector', series: out };
  }

  private async aggregate(e: Aggregate): Promise<Value> {
    const param = e.param ? unwrapParen(e.param) : undefined;
    const inner = await this.eval(e.expr);
    const cache: GroupCache = new WeakMap();
    if (param?.type === 'string') {
      return this.perStep([inner], ([vec]) =>
        aggregate(e.op, e.grouping, e.without, param.value, vec as Vector, cache),
      );
    }
    if (param) {
      const p = await this.eval(param);
      return this.perStep([p, inner], ([k, vec]) =>
        aggregate(e.op, e.grouping, e.without, k as number, vec as Vector, cache),
      );
    }
    return this.perStep([inner], ([vec]) => aggregate(e.op, e.grouping, e.without, undefined, vec as Vector, cache));
  }

  private async binary(e: Binary): Promise<Value> {
    const lt = typeOf(e.lhs);
    const rt = typeOf(e.rhs);
    const l = await this.eval(e.lhs);
    const r = await this.eval(e.rhs);
    const results: ResultLabels = new WeakMap();
    if (l.kind === 'scalar' && r.kind === 'scalar') {
      return { kind: 'scalar', vals: l.vals.map((x, i) => scalarBinop(e.op, x, r.vals[i])) };
    }
    if (lt === 'vector' && rt === 'scalar') {
      return this.perStep([l, r], ([vec, s]) =>
        vectorScalarBinop(e.op, vec as Vector, s as number, false, e.bool, results),
      );
    }
    if (lt === 'scalar' && rt === 'vector') {
      return this.perStep([r, l], ([vec, s]) =>
        vectorScalarBinop(e.op, vec as Vector, s as number, true, e.bool, results),
      );
    }
    const sig = signatureFunc(e.matching);
    switch (e.op) {
      case 'and':
        return this.perStep([l, r], ([a, b]) => vectorAnd(a as Vector, b as Vector, sig));
      case 'or':
        return this.perStep([l, r], ([a, b]) => vectorOr(a as Vector, b as Vector, sig));
      case 'unless':
        return this.perStep([l, r], ([a, b]) => vectorUnless(a as Vector, b as Vector, sig));
      default:
        return this.perStep([l, r], ([a, b]) =>
          vectorBinop(e.op, a as Vector, b as Vector, e.matching, e.bool, sig, results),
        );
    }
  }

  /** Prometheus' rangeEval: the function at each step on the arguments' values there. */
  private async perStep(args: Value[], fn: (stepArgs: StepArg[], t: number) => Vector): Promise<Value> {
    const out = new Map<string, StepSeries>();
    for (let i = 0; i < this.steps; i++) {
      await this.tick();
      const stepArgs: StepArg[] = args.map((a) => {
        if (a.kind === 'scalar') return a.vals[i];
        if (a.kind === 'string') return a.value;
        if (a.kind === 'matrix') throw new ExecutionError('a range vector is not allowed here');
        const vec: Vector = [];
        for (const s of a.series) if (s.has[i]) vec.push({ labels: s.labels, v: s.vals[i], t: s.times?.[i] });
        return vec;
      });
      const result = fn(stepArgs, this.time(i));
      const seen = new Set<string>();
      for (const sample of result) {
        const key = this.keyOf(sample.labels);
        if (seen.has(key)) throw new ExecutionError('vector cannot contain metrics with the same labelset');
        seen.add(key);
        let series = out.get(key);
        if (!series) {
          series = { labels: sample.labels, vals: new Float64Array(this.steps), has: new Uint8Array(this.steps) };
          out.set(key, series);
        }
        series.vals[i] = sample.v;
        series.has[i] = 1;
      }
    }
    return { kind: 'vector', series: [...out.values()] };
  }

  /** labelsKey, once per label set object: most results reuse their inputs' label sets step after step. */
  private readonly keys = new WeakMap<Labels, string>();

  private keyOf(labels: Labels): string {
    let key = this.keys.get(labels);
    if (key === undefined) {
      key = labelsKey(labels);
      this.keys.set(labels, key);
    }
    return key;
  }

  private async tick(): Promise<void> {
    if (this.q.signal?.aborted) throw new QueryCanceledError('query was canceled in expression evaluation');
    const now = Date.now();
    if (now > this.q.deadline) throw new QueryTimeoutError('query timed out in expression evaluation');
    if (now - this.q.lastYield >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.q.lastYield = Date.now();
    }
  }
}

function unwrapParen(e: Expr): Expr {
  while (e.type === 'paren') e = e.expr;
  return e;
}

/** createLabelsForAbsentFunction: the equality matchers' labels, a label matched twice dropped. */
function absentLabels(arg: Expr): Labels {
  const sel = arg.type === 'vector' ? arg : arg.type === 'matrix' ? arg.selector : undefined;
  if (!sel) return [];
  const has = new Set<string>();
  const labels = new Map<string, string>();
  for (const m of sel.matchers) {
    if (m.name === METRIC_NAME) continue;
    if (m.type === MatcherType.EQ && !has.has(m.name)) {
      labels.set(m.name, m.value);
      has.add(m.name);
    } else labels.delete(m.name);
  }
  return [...labels.entries()]
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => ({ name, value }));
}

function assertUniqueLabelsets(series: { labels: Labels }[]): void {
  const seen = new Set<string>();
  for (const s of series) {
    const key = labelsKey(s.labels);
    if (seen.has(key)) throw new ExecutionError('vector cannot contain metrics with the same labelset');
    seen.add(key);
  }
}

/** First index whose time is >= t. */
export function lowerBound(times: Float64Array, t: number, n: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose time is > t. */
export function upperBound(times: Float64Array, t: number, n: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
