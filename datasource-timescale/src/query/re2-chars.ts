// Characters and character classes for the RE2 translation (re2.ts): Perl and POSIX classes
// as RE2 defines them (ASCII only), escaping for JS `u`-mode patterns, and the case variants
// that RE2's (?i) folds together (simple case folding).

export interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
  U: boolean;
}

export const PERL_CLASSES: Record<string, string> = {
  d: '0-9',
  s: '\\t\\n\\f\\r ',
  w: '0-9A-Za-z_',
};
export const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

export function literal(c: string, flags: Flags): string {
  const variants = flags.i ? caseVariants(c) : [];
  if (!variants.length) return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
  return `[${[c, ...variants].map(classEscape).join('')}]`;
}

export function classEscape(c: string): string {
  return /[\\\]^[-]/.test(c) ? `\\${c}` : c;
}

/** Other characters that fold to the same as `c` (simple case folding, as RE2 (?i) uses). */
export function caseVariants(c: string): string[] {
  const set = new Set([c.toLowerCase(), c.toUpperCase()].filter((v) => Array.from(v).length === 1));
  if (/[kK\u212a]/u.test(c)) ['k', 'K', '\u212a'].forEach((v) => set.add(v));
  if (/[sS\u017f]/u.test(c)) ['s', 'S', '\u017f'].forEach((v) => set.add(v));
  set.delete(c);
  return [...set];
}

export function caseRange(low: string, high: string): string {
  const a = low.codePointAt(0)!;
  const b = high.codePointAt(0)!;
  if (b - a > 5000) return ''; // wide ranges: add ASCII letters' other case only
  let extra = '';
  for (let code = a; code <= b; code++) {
    for (const v of caseVariants(String.fromCodePoint(code))) extra += classEscape(v);
  }
  return extra;
}

/** Items for the complement of an ASCII set, usable inside another class. */
export function complementAscii(items: string): string {
  const inSet = new RegExp(`[${items}]`, 'u');
  let out = '';
  let runStart = -1;
  for (let code = 0; code <= 0x80; code++) {
    const member = code === 0x80 || inSet.test(String.fromCharCode(code));
    if (!member && runStart < 0) runStart = code;
    if (member && runStart >= 0) {
      out += `\\u{${runStart.toString(16)}}-\\u{${(code - 1).toString(16)}}`;
      runStart = -1;
    }
  }
  return `${out}\\u{80}-\\u{10ffff}`;
}
