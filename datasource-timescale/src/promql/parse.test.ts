import { parsePromQL, ParseError } from './parse';
import type { Expr } from './ast';

/** The tree's shape without matchers' functions, to compare. */
const shape = (e: Expr): unknown =>
  JSON.parse(JSON.stringify(e, (k, v: unknown) => (k === 'matchers' ? undefined : v)));

describe('parsePromQL follows Go’s grammar where lezer’s differs', () => {
  test('postfix modifiers bind to the operand before them, not to the whole binary expression', () => {
    expect(shape(parsePromQL('1 + x offset 5m'))).toEqual({
      type: 'binary',
      op: '+',
      lhs: { type: 'number', value: 1 },
      rhs: { type: 'vector', name: 'x', offset: 300_000 },
      bool: false,
      matching: { card: 'one-to-one', on: false, labels: [], include: [] },
    });
    expect(() => parsePromQL('a * b[5m:1m]')).toThrow(
      'binary expression must contain only scalar and instant vector types',
    );
    expect(parsePromQL('max_over_time((a * b)[5m:1m])').type).toBe('call');
    expect(() => parsePromQL('1 + x[5m]')).toThrow(
      'binary expression must contain only scalar and instant vector types',
    );
    expect(() => parsePromQL('-x[5m]')).toThrow(
      'unary expression only allowed on expressions of type scalar or instant vector',
    );
  });

  test('a signed literal before ^ is a unary sign: -2 ^ 2 is -(2 ^ 2)', () => {
    const e = parsePromQL('-2 ^ 2');
    expect(e.type).toBe('unary');
  });

  test('errors are ParseErrors with a position', () => {
    for (const bad of ['x{', 'sum(', 'rate(x)', 'x @ 1 @ 2', 'x offset 1m offset 1m', '{}', 'x[5m:0s]', '']) {
      expect(() => parsePromQL(bad)).toThrow(ParseError);
    }
    expect(() => parsePromQL('foo bar')).toThrow(/^1:5: parse error/);
  });

  test('comments may stand inside an expression, as Go’s lexer skips them anywhere', () => {
    expect(shape(parsePromQL('sum( # total\n  x # per series\n) by (job)'))).toEqual(
      shape(parsePromQL('sum by (job) (x)')),
    );
    expect(parsePromQL('x\n# a comment\n+ on (a)\ny').type).toBe('binary');
  });

  test('a zero offset is refused as Go refuses every zero duration', () => {
    expect(() => parsePromQL('x offset 0s')).toThrow('1:10: parse error: duration must be greater than 0');
    expect(() => parsePromQL('x offset -0m')).toThrow('1:11: parse error: duration must be greater than 0');
  });
});
