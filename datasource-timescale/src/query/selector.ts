// Parses a PromQL series selector: `metric`, `metric{a="b", c=~"d|e"}`, `{__name__=~"x.*"}`.
// Strings may use double quotes, single quotes or backticks, with Go's escapes in the first two.

import { MatcherType, type LabelMatcher } from '@nester/common/prompb/types';
import type { MatchOp } from '@nester/contracts/query/vocabulary';
import { MATCHER_OPERATORS, MatcherError } from './matchers';

export function parseSelector(text: string): LabelMatcher[] {
  let pos = 0;
  const matchers: LabelMatcher[] = [];
  const fail = (message: string): never => {
    throw new MatcherError(
      `bad selector at character ${pos + 1}: ${message} (in ${JSON.stringify(text.slice(0, 200))})`,
    );
  };
  const space = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const identifier = (pattern: RegExp): string | undefined => {
    const match = pattern.exec(text.slice(pos));
    if (!match) return undefined;
    pos += match[0].length;
    return match[0];
  };

  space();
  const metric = identifier(/^[a-zA-Z_:][a-zA-Z0-9_:]*/);
  if (metric) matchers.push({ type: MatcherType.EQ, name: '__name__', value: metric });
  space();
  if (text[pos] === '{') {
    pos++;
    for (;;) {
      space();
      if (text[pos] === '}') break;
      const name = identifier(/^[a-zA-Z_][a-zA-Z0-9_]*/) ?? fail('expected a label name');
      space();
      // The alternatives are MATCH_OPS, longest first.
      const op = (identifier(/^(=~|!~|!=|=)/) ?? fail('expected one of = != =~ !~')) as MatchOp;
      space();
      matchers.push({ type: MATCHER_OPERATORS[op], name, value: readString() });
      space();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] !== '}') fail('expected , or }');
    }
    pos++;
  }
  space();
  if (pos < text.length) fail('unexpected text');
  if (!matchers.length) fail('empty selector');
  return matchers;

  function readString(): string {
    const quote = text[pos];
    if (quote !== '"' && quote !== "'" && quote !== '`') return fail('expected a quoted string');
    pos++;
    let out = '';
    while (pos < text.length && text[pos] !== quote) {
      const c = text[pos++];
      if (c !== '\\' || quote === '`') {
        out += c;
        continue;
      }
      const e = text[pos++];
      const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
      if (e in simple) out += simple[e];
      else if (e === '\\' || e === quote) out += e;
      else if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = text.slice(pos, pos + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) fail(`bad \\${e} escape`);
        out += String.fromCodePoint(parseInt(hex, 16));
        pos += len;
      } else if (/[0-7]/.test(e ?? '')) {
        const oct = text.slice(pos - 1, pos + 2);
        if (!/^[0-7]{3}$/.test(oct)) fail('bad octal escape');
        out += String.fromCharCode(parseInt(oct, 8));
        pos += 2;
      } else fail(`unknown escape \\${e ?? ''}`);
    }
    if (pos >= text.length) fail('unterminated string');
    pos++;
    return out;
  }
}

/** Prometheus refuses selectors that match every series: one matcher must reject the empty value. */
export function requireNonEmptyMatcher(matchers: { matches(value: string): boolean }[]): void {
  if (!matchers.some((m) => !m.matches(''))) {
    throw new MatcherError('a selector needs at least one matcher that does not match the empty string');
  }
}
