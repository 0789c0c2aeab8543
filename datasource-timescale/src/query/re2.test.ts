import { compileAnchored, RegexSyntaxError } from './re2';

// The full comparison with Prometheus' own RE2 runs in test/prometheus.e2e.test.ts; these pin the translation.
test.each([
  ['a.c', 'a\nc', false],
  ['(?s)a.c', 'a\nc', true],
  ['abc', 'xabcx', false],
  ['a|b', 'b', true],
  ['(?i)straße', 'STRAßE', true],
  ['\\d+', '١٢', false],
  ['\\w+', 'é', false],
  ['\\pL+', 'é', true],
  ['[[:upper:]]+', 'ABC', true],
  ['a{,2}', 'a{,2}', true],
  ['\\Q.*\\E', '.*', true],
  ['(?m)^b$', 'b', true],
])('%s on %j -> %s', (pattern, input, expected) => {
  expect(compileAnchored(pattern).test(input)).toBe(expected);
});

test.each(['(?=a)', 'a**', '\\1', 'a{1001}', '[b-a]', '(?<x', '\\z\\'])('refuses %s', (pattern) => {
  expect(() => compileAnchored(pattern)).toThrow(RegexSyntaxError);
});
