// What the builder's queries become as PromQL text. That the engine's parser reads every such text
// back as the same query is datasource-timescale's src/query/builder-compile.test.ts (it owns the parser).
import type { RangeFunction } from './vocabulary';
import {
  BuilderError,
  compileBuilder,
  escapeRegex,
  formatDuration,
  formatSelector,
  quoteString,
  rangeMs,
} from './builder-promql';

test('a selector, a range function and an aggregation, as a user would write them', () => {
  expect(compileBuilder({ metric: 'up' })).toBe('up');
  expect(compileBuilder({ matchers: [{ label: 'job', op: '=', value: 'api' }] })).toBe('{job="api"}');
  expect(
    compileBuilder({
      metric: 'node_cpu_seconds_total',
      matchers: [
        { label: 'mode', op: '!=', value: 'idle' },
        { label: 'instance', op: '=~', value: 'web-.*' },
      ],
      function: 'rate',
      range: '5m',
      aggregation: { op: 'sum', by: ['instance'] },
    }),
  ).toBe('sum by (instance) (rate(node_cpu_seconds_total{mode!="idle", instance=~"web-.*"}[5m]))');
  expect(compileBuilder({ metric: 'x', aggregation: { op: 'count', without: ['cpu', 'mode'] } })).toBe(
    'count without (cpu, mode) (x)',
  );
  expect(compileBuilder({ metric: 'x', aggregation: { op: 'avg' } })).toBe('avg(x)');
  expect(compileBuilder({ metric: 'x', aggregation: { op: 'max', by: [] } })).toBe('max by () (x)');
  expect(compileBuilder({ metric: 'x', function: 'increase' })).toBe('increase(x[5m])'); // the default range
});

test('ranges: milliseconds or durations, written canonically', () => {
  expect(compileBuilder({ metric: 'x', function: 'irate', range: 75_000 })).toBe('irate(x[1m15s])');
  expect(compileBuilder({ metric: 'x', function: 'delta', range: '90s' })).toBe('delta(x[1m30s])');
  expect(formatDuration(1500)).toBe('1s500ms');
  expect(formatDuration(8 * 86_400_000)).toBe('1w1d');
  expect(rangeMs('1h30m')).toBe(5_400_000);
  for (const bad of ['', '0s', '5', '5m1h', '1.5m', ' 5m', '$__rate_interval', 0, -1, 1.5, Number.NaN, 2 ** 53]) {
    expect(() => rangeMs(bad)).toThrow(BuilderError);
  }
});

test('label values and regexes stay inside their string', () => {
  expect(quoteString('a"b\\c\nd\te\r')).toBe('"a\\"b\\\\c\\nd\\te\\r"');
  expect(quoteString('\x00\x1f\x7f')).toBe('"\\x00\\x1f\\x7f"');
  expect(quoteString('ünï ☃ 𝄞')).toBe('"ünï ☃ 𝄞"');
  expect(formatSelector('x', [{ label: 'a', op: '=~', value: '"} or vector(1) #' }])).toBe(
    'x{a=~"\\"} or vector(1) #"}',
  );
  expect(formatSelector('x', [{ label: 'a', op: '=~', value: 'a\\.b|c' }])).toBe('x{a=~"a\\\\.b|c"}');
  expect(escapeRegex('1.2.3 (x)')).toBe('1\\.2\\.3 \\(x\\)');
  expect(() => quoteString('a\ud800b')).toThrow(/not valid Unicode/);
});

test('metric names the grammar would read as keywords, or a second __name__, go inside the braces', () => {
  expect(formatSelector('offset')).toBe('{__name__="offset"}');
  expect(formatSelector('NaN', [{ label: 'a', op: '=', value: 'b' }])).toBe('{__name__="NaN", a="b"}');
  expect(formatSelector('sum')).toBe('{__name__="sum"}');
  expect(formatSelector('x', [{ label: '__name__', op: '=~', value: 'x|y' }])).toBe('{__name__="x", __name__=~"x|y"}');
});

test('what cannot be written is refused, saying what is wrong', () => {
  const bad: [Parameters<typeof compileBuilder>[0], RegExp][] = [
    [{}, /metric or at least one label matcher/],
    [{ metric: 'a-b' }, /not a valid metric name/],
    [{ metric: 'x', matchers: [{ label: '1a', op: '=', value: '' }] }, /not a valid label name/],
    [{ metric: 'x', matchers: [{ label: 'a', op: '==' as '=', value: '' }] }, /unknown matcher operator/],
    [{ metric: 'x', function: 'nope' as RangeFunction }, /unknown function "nope"/],
    [{ metric: 'x', aggregation: { op: 'median' as 'sum' } }, /unknown aggregation/],
    [{ metric: 'x', aggregation: { op: 'sum', by: ['a'], without: ['b'] } }, /not both/],
    [{ metric: 'x', aggregation: { op: 'sum', by: ['a b'] } }, /not a valid label name/],
  ];
  for (const [query, message] of bad) expect(() => compileBuilder(query)).toThrow(message);
});
