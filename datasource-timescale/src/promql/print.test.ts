import { formatDuration, formatFloatV } from './format';
import { quote } from './literals';
import { parsePromQL } from './parse';
import { exprString, prettify } from './print';

// Expected texts are Prometheus 2.42's own answers (test/promql-format.e2e.test.ts compares more).

test('numbers print as Go’s %v: exponent from 1e+06 and below 1e-04', () => {
  expect([1e6, 123456789, 123456, 1e-4, 1e-5, 1e21, 31, 0.5, -0, NaN, Infinity, -Infinity].map(formatFloatV)).toEqual([
    '1e+06',
    '1.23456789e+08',
    '123456',
    '0.0001',
    '1e-05',
    '1e+21',
    '31',
    '0.5',
    '-0',
    'NaN',
    '+Inf',
    '-Inf',
  ]);
});

test('durations print as model.Duration: years and weeks only when exact', () => {
  const day = 86_400_000;
  expect([90 * 60_000, 7 * day, 365 * day, 366 * day, 8 * day, 1500, 3_600_000, 0].map(formatDuration)).toEqual([
    '1h30m',
    '1w',
    '1y',
    '366d',
    '8d',
    '1s500ms',
    '1h',
    '0s',
  ]);
});

test('strings are quoted as strconv.Quote: printable kept, controls escaped', () => {
  expect(quote('a\x01ÿ☃😀\n"\\\x7f\u0085')).toBe('"a\\x01ÿ☃😀\\n\\"\\\\\\x7f\\u0085"');
});

test('selectors: matchers sorted, the name matcher dropped, @ before offset', () => {
  expect(exprString(parsePromQL('sum(rate(x{b="c",a=~"d"}[5m]))by(job)'))).toBe(
    'sum by (job) (rate(x{a=~"d",b="c"}[5m]))',
  );
  expect(exprString(parsePromQL('rate(x[90m] offset -7d @ 100)[1h:] @ start() offset 1w'))).toBe(
    'rate(x[1h30m] @ 100.000 offset -1w)[1h:] @ start() offset 1w',
  );
  expect(exprString(parsePromQL('x * ignoring() group_left(a) y'))).toBe('x * y');
});

test('lines longer than 100 bytes are split and indented', () => {
  const long = 'http_requests_total_with_a_long_name{job="api-server", instance=~"web-.*"}';
  expect(prettify(parsePromQL(`label_replace(rate(${long}[5m]), "dst", "$1", "src", "(.*)")`))).toBe(
    [
      'label_replace(',
      '  rate(http_requests_total_with_a_long_name{instance=~"web-.*",job="api-server"}[5m]),',
      '  "dst",',
      '  "$1",',
      '  "src",',
      '  "(.*)"',
      ')',
    ].join('\n'),
  );
});
