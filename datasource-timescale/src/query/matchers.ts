// Prometheus label matchers: =, !=, =~, !~, regexes fully anchored, and a missing label
// treated as the empty value (so {foo=""} matches series without foo).

import { MatcherType, type LabelMatcher } from '@nester/common/prompb/types';
import { compileAnchored } from '@nester/common/regex/re2';
import type { MatchOp } from '@nester/contracts/query/vocabulary';

export interface Matcher extends LabelMatcher {
  matches(value: string): boolean;
}

export class MatcherError extends Error {
  override name = 'MatcherError';
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function compileMatcher(m: LabelMatcher): Matcher {
  if (!LABEL_NAME.test(m.name)) throw new MatcherError(`invalid label name ${JSON.stringify(m.name)} in matcher`);
  let test: (value: string) => boolean;
  switch (m.type) {
    case MatcherType.EQ:
      test = (value) => value === m.value;
      break;
    case MatcherType.NEQ:
      test = (value) => value !== m.value;
      break;
    case MatcherType.RE:
    case MatcherType.NRE: {
      const re = compileAnchored(m.value);
      test = m.type === MatcherType.RE ? (value) => re.test(value) : (value) => !re.test(value);
      break;
    }
    default:
      throw new MatcherError(`unknown matcher type ${m.type as number}`);
  }
  return { ...m, matches: test };
}

export const MATCHER_OPERATORS: Record<MatchOp, MatcherType> = {
  '=': MatcherType.EQ,
  '!=': MatcherType.NEQ,
  '=~': MatcherType.RE,
  '!~': MatcherType.NRE,
};
