// The builder's queries as the engine reads them: every builder input the compiler accepts parses
// back (with the engine's own parser) as exactly that query, or is refused with a clear error.
import { MatcherType } from '@nester/common/prompb/types';
import { seeded, type Random } from '@nester/testing/random';
import {
  BuilderError,
  compileBuilder,
  rangeMs,
  type BuilderExpression,
  type BuilderMatcher,
} from '@nester/contracts/query/builder-promql';
import type { AggregationOp, MatchOp, RangeFunction } from '@nester/contracts/query/vocabulary';
import type { Expr } from '../promql/ast';
import { shapeProblem } from '../promql/limits';
import { ParseError, parsePromQL } from '../promql/parse';
import { compileQuery } from './builder-query';
import { compileMatcher, MATCHER_OPERATORS } from './matchers';
import { requireNonEmptyMatcher } from './selector';

const NAMES = ['up', 'node_cpu_seconds_total', 'a:b', '_', 'on', 'Offset', 'bool', 'NaN', 'inf', 'sum', 'rate', 'by'];
const BAD_NAMES = ['', '1up', 'a-b', 'a b', 'ü', '{x}', 'a"'];
const LABELS = ['job', 'instance', '__name__', 'le', 'on', 'bool', 'offset', 'by', 'without', 'nan', '_x9'];
const OPS = ['=', '!=', '=~', '!~'] as const;
const VALUE_CHARS = 'ab0 .*+?|()[]{}^$\\"\'`\n\r\t\x00\x01\x7f#,=~!ü☃𝄞\ud800\udc00';
const REGEXES = ['.*', '.+', 'a|b', '(?i)x', 'web-[0-9]+', '(', '(?=x)', 'a{2,1}', '\\', '[[:alpha:]]', ''];
const FUNCTIONS = ['rate', 'irate', 'increase', 'delta', 'avg_over_time', 'min_over_time', 'max_over_time'];
const AGGREGATIONS = ['sum', 'avg', 'min', 'max', 'count'];

function value(r: Random, op: string): string {
  if ((op === '=~' || op === '!~') && r.chance(0.5)) return r.pick(REGEXES);
  return r.string(r.int(12), VALUE_CHARS);
}

function builderInput(r: Random): BuilderExpression {
  const matchers: BuilderMatcher[] = [];
  for (let i = r.int(5); i > 0; i--) {
    const op = r.chance(0.97) ? r.pick(OPS) : (r.pick(['==', '~', '']) as MatchOp);
    const label = r.chance(0.95) ? r.pick(LABELS) : r.pick(BAD_NAMES);
    matchers.push({ label, op, value: value(r, op) });
  }
  const labels = () => Array.from({ length: r.int(4) }, () => (r.chance(0.95) ? r.pick(LABELS) : r.pick(BAD_NAMES)));
  return {
    metric: r.chance(0.2) ? undefined : r.chance(0.9) ? r.pick(NAMES) : r.pick(BAD_NAMES),
    matchers,
    function: r.chance(0.4) ? undefined : ((r.chance(0.97) ? r.pick(FUNCTIONS) : 'nope') as RangeFunction),
    range: r.pick([undefined, 1, 1500, 300_000, 86_400_000 * 400, 0, -5, 2.5, '5m', '1h30m', '90s', '5m1h', '', '$x']),
    aggregation: r.chance(0.5)
      ? undefined
      : {
          op: (r.chance(0.97) ? r.pick(AGGREGATIONS) : 'median') as AggregationOp,
          ...(r.chance(0.4) ? { by: labels() } : {}),
          ...(r.chance(0.3) ? { without: labels() } : {}),
        },
  };
}

/** Why the engine may refuse a query the compiler wrote: a bad regex, a selector matching everything. */
function selectorProblem(input: BuilderExpression, text: string): string | undefined {
  try {
    const all = expectedMatchers(input).map(compileMatcher);
    requireNonEmptyMatcher(all);
  } catch (err) {
    return (err as Error).message;
  }
  return shapeProblem(text);
}

function expectedMatchers(input: BuilderExpression) {
  const list = (input.matchers ?? []).map((m) => ({ name: m.label, type: MATCHER_OPERATORS[m.op], value: m.value }));
  return input.metric ? [{ name: '__name__', type: MatcherType.EQ, value: input.metric }, ...list] : list;
}

/** The query the parsed expression holds, in the compiler's terms. */
function readBack(expr: Expr) {
  let e = expr;
  let aggregation: { op: string; grouping: string[]; without: boolean } | undefined;
  if (e.type === 'aggregate') {
    aggregation = { op: e.op, grouping: e.grouping, without: e.without };
    e = e.expr;
  }
  let fn: { name: string; range: number } | undefined;
  if (e.type === 'call') {
    const arg = e.args[0];
    if (arg.type !== 'matrix') throw new Error(`unexpected argument ${arg.type}`);
    fn = { name: e.func, range: arg.range };
    e = arg.selector;
  }
  if (e.type !== 'vector') throw new Error(`unexpected ${e.type}`);
  return { aggregation, fn, matchers: e.matchers.map((m) => ({ name: m.name, type: m.type, value: m.value })) };
}

test('2,000 seeded builder inputs: each parses back as itself, or is refused saying why', () => {
  const counts = { parsed: 0, refusedByCompiler: 0, refusedByEngine: 0 };
  for (let seed = 1; seed <= 2000; seed++) {
    const input = builderInput(seeded(seed));
    let text: string;
    try {
      text = compileBuilder(input);
    } catch (err) {
      expect({ seed, error: err instanceof BuilderError && err.message.length > 10 }).toEqual({
        seed,
        error: true,
      });
      counts.refusedByCompiler++;
      continue;
    }
    let expr: Expr;
    try {
      expr = parsePromQL(text);
    } catch (err) {
      // The engine's refusals are its own selector rules, which the input really breaks.
      expect({ seed, text, parseError: err instanceof ParseError, why: Boolean(selectorProblem(input, text)) }).toEqual(
        {
          seed,
          text,
          parseError: true,
          why: true,
        },
      );
      counts.refusedByEngine++;
      continue;
    }
    const agg = input.aggregation;
    expect({ seed, text, ...readBack(expr) }).toEqual({
      seed,
      text,
      aggregation: agg && { op: agg.op, grouping: agg.by ?? agg.without ?? [], without: Boolean(agg.without) },
      fn: input.function && { name: input.function, range: rangeMs(input.range ?? '5m') },
      matchers: expectedMatchers(input),
    });
    counts.parsed++;
  }
  // Not vacuous: every outcome happens often.
  expect(counts.parsed).toBeGreaterThan(300);
  expect(counts.refusedByCompiler).toBeGreaterThan(300);
  expect(counts.refusedByEngine).toBeGreaterThan(30);
});

test('a ds/query builder query becomes the PromQL a user would write', () => {
  const from = 1_700_000_000_000;
  const compile = (query: object) => compileQuery({ refId: 'A', selector: 'x', ...query }, from, from + 3_600_000);
  expect(
    compile({
      selector: 'node_cpu_seconds_total{mode!="idle", instance=~"web-.*"}',
      function: 'rate',
      range: 75_000,
      aggregation: { op: 'sum', by: ['instance'] },
      step: '30s',
    }),
  ).toEqual({
    promql: 'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle", instance=~"web-.*"}[1m15s]))',
    step: 30_000,
    rangeMs: 75_000,
  });
  expect(compile({ selector: `{__name__="up", job='a"b'}`, intervalMs: 15_000 })).toEqual({
    promql: 'up{job="a\\"b"}',
    step: 15_000,
  });
  // The step as the builder always chose it: intervalMs, or the span over maxDataPoints, at least 1 s.
  expect(compile({ maxDataPoints: 100 }).step).toBe(36_000);
  expect(compile({ function: 'increase', range: '1.5m' }).promql).toBe('increase(x[1m30s])');
  expect(() => compile({ function: 'nope' })).toThrow(/unknown function "nope"/);
  expect(() => compile({ selector: '{job=~".*"}' })).toThrow(/does not match the empty string/);
  expect(() => compile({ selector: 'x{job=~"(?=x)"}' })).toThrow(/invalid or unsupported Perl syntax/);
  expect(() => compile({ step: 100 })).toThrow(/too many; use a larger step/);
  expect(() => compile({ function: 'rate', range: 'soon' })).toThrow(/range: "soon" is not a duration/);
});
