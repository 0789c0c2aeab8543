import { parseExpr } from './parseExpr';
import { formatExpression } from './promql';

test.each([
  ['up', 'up'],
  ['node_load1{instance="a", job=~"n.*"}', 'node_load1{instance="a", job=~"n.*"}'],
  ['{__name__=~\'node_.+\',mode!="idle"}', '{__name__=~"node_.+", mode!="idle"}'],
  ['rate(node_cpu_seconds_total{mode="idle"}[5m])', 'rate(node_cpu_seconds_total{mode="idle"}[5m])'],
  ['sum by (instance, mode) (irate(x[1m30s]))', 'sum by (instance, mode) (irate(x[1m30s]))'],
  ['avg(rate(x[5m])) without (cpu)', 'avg without (cpu) (rate(x[5m]))'],
  ['max(node_load1{instance=~"web\\\\.07(:[0-9]+)?"})', 'max(node_load1{instance=~"web\\\\.07(:[0-9]+)?"})'],
  ['rate($metric{instance="$host"}[$__rate_interval])', 'rate($metric{instance="$host"}[$__rate_interval])'],
  ['count by ([[label]]) (up)', 'count by ([[label]]) (up)'],
])('%s reads as the builder would write it', (text, written) => {
  expect(formatExpression(parseExpr(text))).toBe(written);
});

test('string escapes are read, so values round-trip', () => {
  expect(parseExpr('x{a="q\\"uote\\\\", b=`raw\\n`}').matchers).toEqual([
    { label: 'a', op: '=', value: 'q"uote\\' },
    { label: 'b', op: '=', value: 'raw\\n' },
  ]);
});

test.each([
  ['100 * up', /expected a metric name.*no binary operators/],
  ['up + up', /unexpected text.*no binary operators/],
  ['up offset 5m', /unexpected text/],
  ['rate(x[5m:1m])', /expected "\]"/],
  ['histogram_quantile(0.9, x)', /histogram_quantile\(\) is not supported/],
  ['sum(sum(x))', /sum\(\) is not supported/],
  ['x[5m]', /needs a range function/],
  ['x{a="b"', /expected , or \}/],
  ['x{a~"b"}', /expected one of = != =~ !~/],
  ['x{a="b}', /unterminated string/],
  ['', /expected a metric name/],
])('%s is refused with a reason', (text, reason) => {
  expect(() => parseExpr(text)).toThrow(reason);
});
