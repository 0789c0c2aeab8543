import { seeded } from '@nester/testing/random';
import { MAX_NESTING, MAX_OPERATORS, shapeProblem } from './limits';
import { parsePromQL, ParseError } from './parse';

test('deep nesting and long operator chains are refused before the grammar, with what to do', () => {
  const nested = (n: number) => 'abs('.repeat(n) + 'x' + ')'.repeat(n);
  expect(() => parsePromQL(nested(MAX_NESTING))).not.toThrow();
  expect(() => parsePromQL(nested(MAX_NESTING + 1))).toThrow(
    new ParseError(
      `the expression nests deeper than ${MAX_NESTING} levels; simplify it or split it into recording rules`,
    ),
  );
  const chain = (n: number) => 'x+'.repeat(n) + 'x';
  expect(() => parsePromQL(chain(MAX_OPERATORS))).not.toThrow();
  expect(() => parsePromQL(chain(MAX_OPERATORS + 1))).toThrow(/more than 500 operators/);
  // A 1 MiB chain (the body limit) once overflowed the stack; now it is a plain parse error.
  expect(() => parsePromQL(chain(500_000))).toThrow(ParseError);
  expect(() => parsePromQL('x or '.repeat(MAX_OPERATORS + 1) + 'x')).toThrow(/operators/);
});

test('brackets and operators inside strings and comments do not count', () => {
  expect(shapeProblem(`x{a="${'(+'.repeat(10_000)}"}`)).toBeUndefined();
  expect(shapeProblem(`x{a=~'${"[\\'".repeat(5_000)}'}`)).toBeUndefined(); // escaped quotes stay inside
  expect(shapeProblem('x # ' + '((((+'.repeat(10_000) + '\n + y')).toBeUndefined();
  expect(shapeProblem('sort_desc(x) + cordon_total + orange')).toBeUndefined();
});

test('any text: a verdict in one linear pass, never an exception', () => {
  const random = seeded(5150);
  for (let i = 0; i < 500; i++) {
    const text = random.string(random.int(3000), '()[]{}"\'`\\#\n+-*/^=!<>andorunlessx ');
    expect(['undefined', 'string']).toContain(typeof shapeProblem(text));
  }
});
