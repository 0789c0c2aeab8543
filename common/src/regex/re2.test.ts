import { compileAnchored, compileSearch, MAX_PATTERN_LENGTH, RegexSyntaxError } from './re2';

// Go's regexp semantics, which Prometheus and node_exporter use; the full comparison with
// Prometheus' own matcher runs in datasource-timescale/test/prometheus.e2e.test.ts.
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
  ['a$', 'a\n', false],
  ['.', '😀', true],
  ['(?P<host>web)-\\d+', 'web-7', true],
])('anchored %s on %j -> %s', (pattern, input, expected) => {
  expect(compileAnchored(pattern).test(input)).toBe(expected);
});

test.each([
  ['^(ram|loop)\\d+$', 'loop0', true],
  ['^(ram|loop)\\d+$', 'sda', false],
  ['veth', 'vethab12', true],
  ['^/(dev|proc)($|/)', '/proc/sys', true],
])('search %s in %j -> %s', (pattern, input, expected) => {
  expect(compileSearch(pattern).test(input)).toBe(expected);
});

test.each(['(?=a)', 'a**', '\\1', 'a{1001}', '[b-a]', '(?<x', '\\z\\', '('.repeat(5000) + ')'.repeat(5000)])(
  'refuses %s as Go does',
  (pattern) => {
    expect(() => compileAnchored(pattern)).toThrow(RegexSyntaxError);
    expect(() => compileSearch(pattern)).toThrow(RegexSyntaxError);
  },
);

test("errors quote the pattern as written, in Go's words", () => {
  expect(() => compileAnchored('(a')).toThrow(
    'invalid regular expression "(a": error parsing regexp: missing closing ): `(a`',
  );
});

test('refuses patterns longer than the limit before parsing them', () => {
  expect(() => compileAnchored('a'.repeat(MAX_PATTERN_LENGTH + 1))).toThrow(/longer than/);
});

test('matches in linear time what takes a backtracking engine exponential time', () => {
  // (.|.)*Z against 30 a's is ~2^30 steps for a backtracking engine; RE2 walks the input once.
  const evil = compileAnchored('(.|.)*Z');
  expect(evil.test('a'.repeat(100_000))).toBe(false);
  expect(evil.test(`${'a'.repeat(100_000)}Z`)).toBe(true);
});
