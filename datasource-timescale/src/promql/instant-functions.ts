// Functions of instant vectors and scalars, ported from Prometheus 2.42 (promql/functions.go).

import { compileAnchored, RegexSyntaxError } from '@nester/common/regex/re2';
import { RE2JS } from 're2js';
import { civil, type Civil } from './civil';
import { dropMetricName, getLabel, labelsKey, METRIC_NAME, setLabel, type Labels } from './labels';
import { ExecutionError, type Sample, type Vector } from './vector';

export type StepArg = Vector | number | string;

export interface StepContext {
  /** The step's evaluation time (ms). */
  t: number;
}

export type InstantFunction = (args: StepArg[], ctx: StepContext) => Vector;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function simple(f: (v: number) => number): InstantFunction {
  return (args) => (args[0] as Vector).map((s) => ({ labels: dropMetricName(s.labels), v: f(s.v) }));
}

function dateFunction(f: (c: Civil) => number): InstantFunction {
  return (args, ctx) => {
    const input: Vector = args.length ? (args[0] as Vector) : [{ labels: [], v: ctx.t / 1000 }];
    return input.map((s) => ({ labels: dropMetricName(s.labels), v: f(civil(s.v)) }));
  };
}

/** Go's math.Pow special cases where JS differs (1 ** NaN, (-1) ** ±Inf). */
export function goPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return x ** y;
}

function goParseFloat(text: string): number | undefined {
  const t = text.toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return Number(t);
  if (/^[+-]?0x[0-9a-f]*\.?[0-9a-f]*p[+-]?\d+$/.test(t)) return undefined; // hex floats: not in bucket labels
  return undefined;
}

interface Bucket {
  upperBound: number;
  count: number;
}

/** bucketQuantile of Prometheus 2.42 (classic buckets). */
export function bucketQuantile(q: number, input: Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  let buckets = [...input].sort((a, b) => a.upperBound - b.upperBound);
  if (buckets[buckets.length - 1].upperBound !== Infinity) return NaN;
  buckets = coalesceBuckets(buckets);
  let max = -Infinity;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
  if (buckets.length < 2) return NaN;
  const observations = buckets[buckets.length - 1].count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  // sort.Search over len-1 buckets: the first with count >= rank.
  let b = 0;
  let hi = buckets.length - 1;
  while (b < hi) {
    const mid = (b + hi) >>> 1;
    if (!(buckets[mid].count >= rank)) b = mid + 1;
    else hi = mid;
  }
  if (b === buckets.length - 1) return buckets[buckets.length - 2].upperBound;
  if (b === 0 && buckets[0].upperBound <= 0) return buckets[0].upperBound;
  let bucketStart = 0;
  const bucketEnd = buckets[b].upperBound;
  let count = buckets[b].count;
  if (b > 0) {
    bucketStart = buckets[b - 1].upperBound;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

function coalesceBuckets(buckets: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  let last = { ...buckets[0] };
  for (const b of buckets.slice(1)) {
    if (b.upperBound === last.upperBound) last.count += b.count;
    else {
      out.push(last);
      last = { ...b };
    }
  }
  out.push(last);
  return out;
}

function histogramQuantile(args: StepArg[]): Vector {
  const q = args[0] as number;
  const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>();
  for (const s of args[1] as Vector) {
    const upperBound = goParseFloat(getLabel(s.labels, 'le'));
    if (upperBound === undefined) continue;
    const key = labelsKey(s.labels.filter((l) => l.name !== 'le'));
    let group = groups.get(key);
    if (!group) {
      group = { labels: s.labels.filter((l) => l.name !== 'le' && l.name !== METRIC_NAME), buckets: [] };
      groups.set(key, group);
    }
    group.buckets.push({ upperBound, count: s.v });
  }
  const out: Vector = [];
  for (const g of groups.values())
    if (g.buckets.length) out.push({ labels: g.labels, v: bucketQuantile(q, g.buckets) });
  return out;
}

/** Go's regexp.Expand template: $1, ${1}, $name, ${name}, $$. */
function expandTemplate(template: string, groups: (name: string) => string): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '$' || i + 1 >= template.length) {
      out += c;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let end = i + 1;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close >= 0 && /^[A-Za-z0-9_]+$/.test(inner)) {
        name = inner;
        end = close + 1;
      }
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (m) {
        name = m[0];
        end = i + 1 + m[0].length;
      }
    }
    if (name === undefined) {
      out += c; // a malformed reference is copied as is
      continue;
    }
    out += groups(name);
    i = end - 1;
  }
  return out;
}

function labelReplace(args: StepArg[]): Vector {
  const [vec, dst, replacement, src, pattern] = args as [Vector, string, string, string, string];
  let re: RE2JS;
  try {
    compileAnchored(pattern);
    re = RE2JS.compile(`^(?:${pattern})$`);
  } catch (err) {
    const reason = err instanceof RegexSyntaxError ? err.message : (err as Error).message;
    throw new ExecutionError(`invalid regular expression in label_replace(): ${reason}`);
  }
  if (!LABEL_NAME.test(dst)) throw new ExecutionError(`invalid destination label name in label_replace(): ${dst}`);
  const named = re.namedGroups();
  const groupCount = re.groupCount();
  return vec.map((s) => {
    const srcVal = getLabel(s.labels, src);
    const m = re.matcher(srcVal);
    if (!m.matches()) return s;
    const value = expandTemplate(replacement, (name) => {
      let index: number | undefined = /^\d+$/.test(name) ? Number(name) : named[name];
      if (index === undefined || index > groupCount) index = undefined;
      return index === undefined ? '' : (m.group(index) ?? '');
    });
    return { labels: setLabel(s.labels, dst, value), v: s.v };
  });
}

function labelJoin(args: StepArg[]): Vector {
  const [vec, dst, sep, ...srcs] = args as [Vector, string, string, ...string[]];
  for (const src of srcs) {
    if (!LABEL_NAME.test(src)) throw new ExecutionError(`invalid source label name in label_join(): ${src}`);
  }
  if (!LABEL_NAME.test(dst)) throw new ExecutionError(`invalid destination label name in label_join(): ${dst}`);
  return vec.map((s) => ({
    labels: setLabel(s.labels, dst, srcs.map((src) => getLabel(s.labels, src)).join(sep)),
    v: s.v,
  }));
}

function sortBy(desc: boolean): InstantFunction {
  return (args) =>
    [...(args[0] as Vector)].sort((a, b) => {
      if (Number.isNaN(a.v)) return Number.isNaN(b.v) ? 0 : 1;
      if (Number.isNaN(b.v)) return -1;
      return desc ? b.v - a.v : a.v - b.v;
    });
}

export const INSTANT_FUNCTIONS: Record<string, InstantFunction> = {
  abs: simple(Math.abs),
  ceil: simple(Math.ceil),
  floor: simple(Math.floor),
  exp: simple(Math.exp),
  sqrt: simple(Math.sqrt),
  ln: simple(Math.log),
  log2: simple(Math.log2),
  log10: simple(Math.log10),
  sin: simple(Math.sin),
  cos: simple(Math.cos),
  tan: simple(Math.tan),
  asin: simple(Math.asin),
  acos: simple(Math.acos),
  atan: simple(Math.atan),
  sinh: simple(Math.sinh),
  cosh: simple(Math.cosh),
  tanh: simple(Math.tanh),
  asinh: simple(Math.asinh),
  acosh: simple(Math.acosh),
  atanh: simple(Math.atanh),
  deg: simple((v) => (v * 180) / Math.PI),
  rad: simple((v) => (v * Math.PI) / 180),
  sgn: simple((v) => (v < 0 ? -1 : v > 0 ? 1 : v)),
  round: (args) => {
    const toNearest = args.length > 1 ? (args[1] as number) : 1;
    const inverse = 1 / toNearest;
    return (args[0] as Vector).map((s) => ({
      labels: dropMetricName(s.labels),
      v: Math.floor(s.v * inverse + 0.5) / inverse,
    }));
  },
  clamp: (args) => {
    const [vec, min, max] = args as [Vector, number, number];
    if (max < min) return [];
    return vec.map((s) => ({ labels: dropMetricName(s.labels), v: goMax(min, goMin(max, s.v)) }));
  },
  clamp_max: (args) =>
    (args[0] as Vector).map((s) => ({ labels: dropMetricName(s.labels), v: goMin(args[1] as number, s.v) })),
  clamp_min: (args) =>
    (args[0] as Vector).map((s) => ({ labels: dropMetricName(s.labels), v: goMax(args[1] as number, s.v) })),
  timestamp: (args, ctx) =>
    (args[0] as Vector).map((s) => ({ labels: dropMetricName(s.labels), v: (s.t ?? ctx.t) / 1000 })),
  vector: (args) => [{ labels: [], v: args[0] as number }],
  sort: sortBy(false),
  sort_desc: sortBy(true),
  histogram_quantile: histogramQuantile,
  // Native histograms only: float samples give nothing.
  histogram_count: () => [],
  histogram_sum: () => [],
  histogram_fraction: () => [],
  label_replace: labelReplace,
  label_join: labelJoin,
  day_of_month: dateFunction((c) => c.day),
  day_of_week: dateFunction((c) => c.weekday),
  day_of_year: dateFunction((c) => c.dayOfYear),
  days_in_month: dateFunction((c) => c.daysInMonth),
  hour: dateFunction((c) => c.hour),
  minute: dateFunction((c) => c.minute),
  month: dateFunction((c) => c.month),
  year: dateFunction((c) => c.year),
};

/** Go's math.Max / math.Min: NaN wins, +0 > -0. */
function goMax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.max(a, b);
}
function goMin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.min(a, b);
}

export type { Sample };
