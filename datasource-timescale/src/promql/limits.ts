// Bounds on an expression's shape, checked before the grammar sees it: lezer and the converter
// recurse per nesting level, so a 4 KiB `abs(abs(…))` took 0.3 s and a 100 KiB `x+x+…` overflowed
// the stack, on the event loop every query shares. Dashboards nest a few levels and stay well
// under these.

/** Deepest nesting of ( [ { allowed. */
export const MAX_NESTING = 100;
/** Most operator characters and words (binary operators nest the tree one level each; matchers and
 * signs count too, which only makes the bound safer). */
export const MAX_OPERATORS = 500;

/** Why `input` is too deep or too long to parse, or undefined. One pass, strings and comments skipped. */
export function shapeProblem(input: string): string | undefined {
  let depth = 0;
  let operators = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '"' || c === "'" || c === '`') {
      i = endOfString(input, i);
    } else if (c === '#') {
      const newline = input.indexOf('\n', i);
      i = newline < 0 ? input.length : newline;
    } else if (c === '(' || c === '[' || c === '{') {
      if (++depth > MAX_NESTING) return `the expression nests deeper than ${MAX_NESTING} levels`;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
    } else if ('+-*/%^<>=!'.includes(c) || isWordOperator(input, i)) {
      if (++operators > MAX_OPERATORS)
        return `the expression has more than ${MAX_OPERATORS} operators or label matchers`;
    }
  }
  return undefined;
}

/** Index of the quote closing the string that opens at `start` (backquoted strings have no escapes). */
function endOfString(input: string, start: number): number {
  const quote = input[start];
  for (let i = start + 1; i < input.length; i++) {
    if (input[i] === '\\' && quote !== '`') i++;
    else if (input[i] === quote) return i;
  }
  return input.length;
}

/** `and`, `or`, `unless` as whole words: set operators nest like the others. */
function isWordOperator(input: string, i: number): boolean {
  if (i > 0 && /\w/.test(input[i - 1])) return false;
  const word = /^(and|or|unless)\b/.exec(input.slice(i, i + 7));
  return word !== null;
}
