// The datasource builder's query as PromQL text: a selector, optionally inside one range function,
// optionally inside one aggregation, e.g. `sum by (instance) (rate(x{a="b"}[5m]))`. The adapter
// evaluates builder queries by compiling them here and running the text through its PromQL engine
// (the same as /api/v1/query_range); the plugin writes selectors and shows expressions with it.
// Every value is written as an escaped string literal, so no label value, regex or name can end
// its string or add syntax: the output either parses to exactly the query given, or this throws.

import type { AdapterAggregation } from './ds-query';
import { AGGREGATIONS, MATCH_OPS, RANGE_FUNCTIONS, type MatchOp, type RangeFunction } from './vocabulary';

export class BuilderError extends Error {
  override name = 'BuilderError';
}

export interface BuilderMatcher {
  label: string;
  op: MatchOp;
  value: string;
}

export interface BuilderExpression {
  metric?: string;
  matchers?: readonly BuilderMatcher[];
  function?: RangeFunction;
  /** The range function's window: milliseconds, or a PromQL duration such as `5m` or `1m30s`. */
  range?: number | string;
  aggregation?: AdapterAggregation;
}

export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Prometheus 2.42's durations (model.ParseDuration): each unit at most once, largest first. */
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNITS: readonly [string, number][] = [
  ['y', 365 * 86_400_000],
  ['w', 7 * 86_400_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/**
 * Words the grammar reads as something else where a metric name stands (`offset`, `bool`, `inf`,
 * `nan`, …; any case for the numbers). Such a metric is written as `{__name__="…"}`.
 */
const RESERVED = new Set([
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'by',
  'without',
  'and',
  'or',
  'unless',
  'atan2',
  'start',
  'end',
  'inf',
  'nan',
  'infinity',
  ...AGGREGATIONS,
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'group',
]);

const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A PromQL double-quoted string (Go's escapes, as Prometheus and the adapter read them): quote and
 * backslash escaped, control characters as escapes. A lone UTF-16 surrogate has no UTF-8 form, so
 * no Prometheus string can hold it: refused.
 */
export function quoteString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ESCAPES[ch] !== undefined) out += ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0xd800 && code < 0xe000) {
      throw new BuilderError(`the value ${JSON.stringify(value.slice(0, 100))} is not valid Unicode`);
    } else out += ch;
  }
  return `${out}"`;
}

/** Escapes text so an RE2 regex matches it literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** A range in milliseconds, from milliseconds or a PromQL duration; positive and whole. */
export function rangeMs(range: number | string): number {
  let ms = Number.NaN;
  if (typeof range === 'number') ms = range;
  else {
    const m = DURATION.exec(range);
    if (m && range !== '') ms = UNITS.reduce((sum, [, size], i) => sum + Number(m[i + 1] ?? 0) * size, 0);
  }
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new BuilderError(`the range ${JSON.stringify(range)} is not a positive duration such as 5m or 1m30s`);
  }
  return ms;
}

/** Milliseconds as a PromQL duration: `5m`, `1m30s`, `1500ms` → `1s500ms`. */
export function formatDuration(ms: number): string {
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

function checkLabel(name: unknown, where: string): string {
  if (typeof name !== 'string' || !LABEL_NAME.test(name)) {
    throw new BuilderError(`${JSON.stringify(name)} is not a valid label name (${where})`);
  }
  return name;
}

function formatMatcher(m: BuilderMatcher): string {
  const label = checkLabel(m.label, 'in a matcher');
  if (!MATCH_OPS.includes(m.op)) {
    throw new BuilderError(`unknown matcher operator ${JSON.stringify(m.op)}; use one of ${MATCH_OPS.join(' ')}`);
  }
  if (typeof m.value !== 'string') throw new BuilderError(`the value of the matcher on ${label} must be text`);
  return `${label}${m.op}${quoteString(m.value)}`;
}

/** `metric{a="b", c=~"d"}`: the series selector; needs a metric or at least one matcher. */
export function formatSelector(metric: string | undefined, matchers: readonly BuilderMatcher[] = []): string {
  const parts = matchers.map(formatMatcher);
  if (metric !== undefined && metric !== '') {
    if (!METRIC_NAME.test(metric)) throw new BuilderError(`${JSON.stringify(metric)} is not a valid metric name`);
    // A second __name__ matcher, or a name the grammar reads as a keyword: all inside the braces.
    if (RESERVED.has(metric.toLowerCase()) || matchers.some((m) => m.label === '__name__')) {
      parts.unshift(`__name__="${metric}"`);
    } else {
      return parts.length ? `${metric}{${parts.join(', ')}}` : metric;
    }
  }
  if (!parts.length) throw new BuilderError('a query needs a metric or at least one label matcher');
  return `{${parts.join(', ')}}`;
}

function formatAggregation(aggregation: AdapterAggregation, inner: string): string {
  const { op, by, without } = aggregation;
  if (!AGGREGATIONS.includes(op)) {
    throw new BuilderError(`unknown aggregation ${JSON.stringify(op)}; use one of ${AGGREGATIONS.join(', ')}`);
  }
  if (by && without) throw new BuilderError('an aggregation takes "by" or "without", not both');
  const mode = by ? 'by' : without ? 'without' : undefined;
  const labels = (by ?? without ?? []).map((l) => checkLabel(l, `in the aggregation's ${mode ?? ''} list`));
  return mode ? `${op} ${mode} (${labels.join(', ')}) (${inner})` : `${op}(${inner})`;
}

/** The builder's query as one PromQL expression; throws BuilderError saying what is wrong. */
export function compileBuilder(q: BuilderExpression): string {
  let text = formatSelector(q.metric, q.matchers);
  if (q.function !== undefined) {
    if (!RANGE_FUNCTIONS.includes(q.function)) {
      throw new BuilderError(
        `unknown function ${JSON.stringify(q.function)}; use one of ${RANGE_FUNCTIONS.join(', ')}`,
      );
    }
    text = `${q.function}(${text}[${formatDuration(rangeMs(q.range ?? '5m'))}])`;
  }
  return q.aggregation ? formatAggregation(q.aggregation, text) : text;
}
