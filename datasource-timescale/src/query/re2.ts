// Prometheus regex matchers use Go's RE2 syntax, fully anchored. This translates RE2 into an
// equivalent JavaScript RegExp (flag `u`), refusing what RE2 refuses (backreferences,
// lookaround, possessive and nested repetition, repeat counts above 1000, unknown escapes)
// so a query that Prometheus would reject is rejected here too, and one it accepts matches
// the same strings. Differences handled: `.` excludes only \n; \d \w \s are ASCII; (?i) (?s)
// (?m) (?U) may be scoped; \A \z anchors; \Q...\E quoting; [[:alpha:]] classes; \pN, \p{Greek}.

import {
  caseRange,
  caseVariants,
  classEscape,
  complementAscii,
  literal,
  PERL_CLASSES,
  POSIX_CLASSES,
  type Flags,
} from './re2-chars';

export class RegexSyntaxError extends Error {
  override name = 'RegexSyntaxError';
}

const MAX_REPEAT = 1000;

/** Compiles an RE2 pattern the way Prometheus does: `^(?:pattern)$`. */
export function compileAnchored(pattern: string): RegExp {
  const body = new Translator(pattern).translate();
  try {
    return new RegExp(`^(?:${body})$`, 'u');
  } catch (err) {
    throw new RegexSyntaxError(`invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

class Translator {
  private pos = 0;
  private readonly chars: string[];
  constructor(private readonly pattern: string) {
    this.chars = Array.from(pattern);
  }

  translate(): string {
    const out = this.alternation({ i: false, s: false, m: false, U: false }, 0);
    if (this.pos < this.chars.length) this.fail('unexpected )');
    return out;
  }

  private fail(message: string): never {
    throw new RegexSyntaxError(`invalid regular expression ${JSON.stringify(this.pattern)}: ${message}`);
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  private alternation(flags: Flags, depth: number): string {
    const branches: string[] = [];
    let current = '';
    let lastAtom: 'none' | 'atom' | 'repeated' = 'none';
    while (this.pos < this.chars.length) {
      const c = this.chars[this.pos];
      if (c === ')') {
        if (depth === 0) this.fail('unexpected )');
        break;
      }
      if (c === '|') {
        this.pos++;
        branches.push(current);
        current = '';
        lastAtom = 'none';
        continue;
      }
      const repeat = this.repetition(flags);
      if (repeat !== undefined) {
        if (lastAtom === 'none') this.fail(`missing argument to repetition operator ${repeat.text}`);
        if (lastAtom === 'repeated') this.fail(`invalid nested repetition operator ${repeat.text}`);
        current += repeat.js;
        lastAtom = 'repeated';
        continue;
      }
      if (c === '(' && this.peek(1) === '?' && this.isFlagGroupOnly()) {
        this.flagGroup(flags);
        continue;
      }
      const atom = this.atom(flags, depth);
      // RE2 allows repeating an assertion; JS only a group holding one.
      current += atom.quantifiable ? `(?:${atom.js})` : atom.js;
      lastAtom = 'atom';
    }
    branches.push(current);
    return branches.join('|');
  }

  /** A quantifier at the current position, or undefined (a `{` that is not one is a literal). */
  private repetition(flags: Flags): { js: string; text: string } | undefined {
    const c = this.peek();
    let min: number;
    let max: number | undefined;
    let text: string;
    if (c === '*' || c === '+' || c === '?') {
      this.pos++;
      text = c;
      [min, max] = c === '*' ? [0, undefined] : c === '+' ? [1, undefined] : [0, 1];
    } else if (c === '{') {
      const rest = this.chars.slice(this.pos).join('');
      const match = /^\{(\d+)(,(\d*))?\}/.exec(rest);
      if (!match) return undefined;
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' ? undefined : Number(match[3]);
      if (min > MAX_REPEAT || (max !== undefined && (max > MAX_REPEAT || max < min))) {
        this.fail(`invalid repeat count ${match[0]}`);
      }
      this.pos += Array.from(match[0]).length;
      text = match[0];
    } else return undefined;
    let lazy = flags.U;
    if (this.peek() === '?') {
      this.pos++;
      lazy = !lazy;
      text += '?';
    }
    const js =
      min === 0 && max === undefined
        ? '*'
        : min === 1 && max === undefined
          ? '+'
          : min === 0 && max === 1
            ? '?'
            : `{${min},${max ?? ''}}`;
    return { js: lazy ? `${js}?` : js, text };
  }

  private isFlagGroupOnly(): boolean {
    // (?flags) without a colon: changes flags for the rest of the current group.
    let i = this.pos + 2;
    while (i < this.chars.length && /[imsU-]/.test(this.chars[i])) i++;
    return this.chars[i] === ')';
  }

  private flagGroup(flags: Flags): void {
    this.pos += 2;
    this.parseFlags(flags, ')');
    this.pos++;
  }

  private parseFlags(flags: Flags, end: string): void {
    let negate = false;
    let sawFlag = false;
    while (this.peek() !== end) {
      const c = this.peek();
      if (c === '-') {
        if (negate) this.fail('invalid or unsupported Perl syntax: double negation in flags');
        negate = true;
        sawFlag = false;
      } else if (c === 'i' || c === 's' || c === 'm' || c === 'U') {
        flags[c] = !negate;
        sawFlag = true;
      } else this.fail(`invalid or unsupported Perl syntax: (?${c ?? ''}`);
      this.pos++;
    }
    if (negate && !sawFlag) this.fail('invalid or unsupported Perl syntax: missing flag after -');
  }

  private atom(flags: Flags, depth: number): { js: string; quantifiable: boolean } {
    const c = this.chars[this.pos++];
    switch (c) {
      case '(':
        return { js: this.group(flags, depth), quantifiable: false };
      case '[':
        return { js: this.charClass(flags), quantifiable: false };
      case '.':
        return { js: flags.s ? '[^]' : '[^\\n]', quantifiable: false };
      case '^':
        return { js: flags.m ? '(?:^|(?<=\\n))' : '(?<![^])', quantifiable: true };
      case '$':
        return { js: flags.m ? '(?:$|(?=\\n))' : '(?![^])', quantifiable: true };
      case '\\':
        return this.escape(flags);
      default:
        return { js: literal(c, flags), quantifiable: false };
    }
  }

  private group(flags: Flags, depth: number): string {
    const inner: Flags = { ...flags };
    if (this.peek() === '?') {
      const next = this.peek(1);
      if (next === 'P' && this.peek(2) === '<') {
        this.pos += 3;
        this.groupName();
      } else if (next === '<' && this.peek(2) !== '=' && this.peek(2) !== '!') {
        this.pos += 2;
        this.groupName();
      } else {
        this.pos++;
        const start = this.pos;
        while (this.peek() !== undefined && this.peek() !== ':' && this.peek() !== ')') this.pos++;
        if (this.peek() !== ':')
          this.fail(`invalid or unsupported Perl syntax: (?${this.chars.slice(start, this.pos + 1).join('')}`);
        this.pos = start;
        this.parseFlags(inner, ':');
        this.pos++;
      }
    }
    const body = this.alternation(inner, depth + 1);
    if (this.peek() !== ')') this.fail('missing closing )');
    this.pos++;
    return `(?:${body})`;
  }

  private groupName(): void {
    const start = this.pos;
    while (this.peek() !== undefined && this.peek() !== '>') this.pos++;
    const name = this.chars.slice(start, this.pos).join('');
    if (this.peek() !== '>' || !/^[A-Za-z0-9_]+$/.test(name)) this.fail(`invalid named capture ${name}`);
    this.pos++;
  }

  private escape(flags: Flags): { js: string; quantifiable: boolean } {
    const c = this.chars[this.pos++];
    if (c === undefined) this.fail('trailing backslash at end of expression');
    switch (c) {
      case 'A':
        return { js: '(?<![^])', quantifiable: true };
      case 'z':
        return { js: '(?![^])', quantifiable: true };
      case 'b':
        return { js: '\\b', quantifiable: true };
      case 'B':
        return { js: '\\B', quantifiable: true };
      case 'Q': {
        let text = '';
        while (this.pos < this.chars.length) {
          if (this.peek() === '\\' && this.peek(1) === 'E') {
            this.pos += 2;
            break;
          }
          text += literal(this.chars[this.pos++], flags);
        }
        return { js: `(?:${text})`, quantifiable: false };
      }
      case 'd':
      case 's':
      case 'w':
        return { js: `[${PERL_CLASSES[c]}]`, quantifiable: false };
      case 'D':
      case 'S':
      case 'W':
        return { js: `[^${PERL_CLASSES[c.toLowerCase()]}]`, quantifiable: false };
      case 'p':
      case 'P':
        return { js: this.unicodeClass(c === 'P', false), quantifiable: false };
      default:
        return { js: literal(this.escapedChar(c), flags), quantifiable: false };
    }
  }

  /** The character an escape like \n, \x41, \x{263a}, \101 or \. stands for. */
  private escapedChar(c: string): string {
    const simple: Record<string, string> = { a: '\x07', f: '\f', t: '\t', n: '\n', r: '\r', v: '\v' };
    if (simple[c]) return simple[c];
    if (c >= '1' && c <= '7' && !(this.peek() && this.peek()! >= '0' && this.peek()! <= '7')) {
      this.fail(`invalid escape sequence \\${c} (backreferences are not supported)`);
    }
    if (c >= '0' && c <= '7') {
      let digits = c;
      while (digits.length < 3 && this.peek() !== undefined && /[0-7]/.test(this.peek()!))
        digits += this.chars[this.pos++];
      return String.fromCodePoint(parseInt(digits, 8));
    }
    if (c === 'x') {
      let hex: string;
      if (this.peek() === '{') {
        const end = this.chars.indexOf('}', this.pos);
        if (end < 0) this.fail('invalid escape sequence \\x{');
        hex = this.chars.slice(this.pos + 1, end).join('');
        this.pos = end + 1;
      } else {
        hex = this.chars.slice(this.pos, this.pos + 2).join('');
        this.pos += 2;
        if (hex.length < 2) this.fail('invalid escape sequence \\x');
      }
      const code = /^[0-9A-Fa-f]+$/.test(hex) ? parseInt(hex, 16) : NaN;
      if (!(code <= 0x10ffff)) this.fail(`invalid escape sequence \\x${hex}`);
      return String.fromCodePoint(code);
    }
    if (/[0-9A-Za-z_]/.test(c) || c.codePointAt(0)! >= 0x80) this.fail(`invalid escape sequence \\${c}`);
    return c; // escaped punctuation stands for itself
  }

  private unicodeClass(negated: boolean, inClass: boolean): string {
    let name: string;
    if (this.peek() === '{') {
      const end = this.chars.indexOf('}', this.pos);
      if (end < 0) this.fail('invalid character class range \\p{');
      name = this.chars.slice(this.pos + 1, end).join('');
      this.pos = end + 1;
    } else {
      name = this.chars[this.pos++] ?? '';
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    let js: string;
    if (name === 'Any') js = negated ? '' : '\\u{0}-\\u{10ffff}';
    else {
      const property = /^[A-Z][a-z]?$/.test(name) ? name : `Script=${name}`;
      js = `\\${negated ? 'P' : 'p'}{${property}}`;
      try {
        new RegExp(js, 'u');
      } catch {
        this.fail(`invalid character class range \\p{${name}}`);
      }
    }
    if (inClass) return js;
    return name === 'Any' ? (negated ? '[]' : '[^]') : js;
  }

  private charClass(flags: Flags): string {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    let items = '';
    let first = true;
    while (this.peek() !== ']' || first) {
      if (this.peek() === undefined) this.fail('missing closing ]');
      first = false;
      if (this.peek() === '[' && this.peek(1) === ':') {
        const end = this.chars.indexOf(']', this.pos);
        const spec = end > 0 ? this.chars.slice(this.pos + 2, end).join('') : '';
        if (spec.endsWith(':')) {
          let name = spec.slice(0, -1);
          const neg = name.startsWith('^');
          if (neg) name = name.slice(1);
          const set = POSIX_CLASSES[name];
          if (!set) this.fail(`invalid character class range [:${spec}]`);
          items += neg ? complementAscii(set) : set;
          this.pos = end + 1;
          continue;
        }
      }
      const low = this.classChar(flags);
      if (low.set !== undefined) {
        items += low.set;
        continue;
      }
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.pos++;
        const high = this.classChar(flags);
        if (high.set !== undefined) this.fail('invalid character class range');
        if (high.char!.codePointAt(0)! < low.char!.codePointAt(0)!) {
          this.fail(`invalid character class range ${low.char}-${high.char}`);
        }
        items += `${classEscape(low.char!)}-${classEscape(high.char!)}`;
        if (flags.i) items += caseRange(low.char!, high.char!);
      } else {
        items += classEscape(low.char!);
        if (flags.i) items += caseVariants(low.char!).map(classEscape).join('');
      }
    }
    this.pos++;
    if (items === '') return negated ? '[^]' : '[]';
    return `[${negated ? '^' : ''}${items}]`;
  }

  private classChar(flags: Flags): { char?: string; set?: string } {
    void flags;
    const c = this.chars[this.pos++];
    if (c !== '\\') return { char: c };
    const e = this.chars[this.pos++];
    if (e === undefined) this.fail('trailing backslash at end of expression');
    if (e in PERL_CLASSES) return { set: PERL_CLASSES[e] };
    if (e === 'D' || e === 'S' || e === 'W') return { set: complementAscii(PERL_CLASSES[e.toLowerCase()]) };
    if (e === 'p' || e === 'P') return { set: this.unicodeClass(e === 'P', true) };
    return { char: this.escapedChar(e) };
  }
}
