// PromQL's literals as Prometheus reads them: Go string literals (strconv.Unquote), durations
// (model.ParseDuration) and numbers (strconv.ParseFloat, then ParseInt with base prefix).

export class LiteralError extends Error {
  override name = 'LiteralError';
}

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** model.ParseDuration: `1h30m`, `5m`, `0`; milliseconds. */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const m = text === '' ? null : DURATION.exec(text);
  if (!m) throw new LiteralError(`not a valid duration string: ${JSON.stringify(text)}`);
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * UNIT_MS[i];
  if (!Number.isSafeInteger(ms)) throw new LiteralError(`duration out of range: ${JSON.stringify(text)}`);
  return ms;
}

/** A PromQL number literal: decimal, hexadecimal, Inf or NaN (any case). */
export function parseNumber(text: string): number {
  const lower = text.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const body = lower.replace(/^[+-]/, '');
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return NaN;
  if (/^0x[0-9a-f]+$/.test(body)) return sign * Number(body);
  if (/^0[0-7]+$/.test(body)) return sign * Number(body); // ParseFloat reads it as decimal first
  const value = Number(body);
  if (body === '' || Number.isNaN(value))
    throw new LiteralError(`bad number or duration syntax: ${JSON.stringify(text)}`);
  return sign * value;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** strconv.Unquote for "…", '…' and `…`. */
export function unquote(text: string): string {
  const quote = text[0];
  if (text.length < 2 || text[text.length - 1] !== quote) throw new LiteralError(`unterminated quoted string ${text}`);
  const body = text.slice(1, -1);
  if (quote === '`') return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === quote) throw new LiteralError(`invalid syntax in string ${text}`);
    if (c === '\n') throw new LiteralError(`unterminated quoted string ${text}`);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new LiteralError(`invalid syntax in string ${text}`);
    if (SIMPLE_ESCAPES[e] !== undefined) out += SIMPLE_ESCAPES[e];
    else if (e === quote) out += e;
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new LiteralError(`invalid escape in string ${text}`);
      const code = parseInt(hex, 16);
      if (e === 'x')
        out += String.fromCharCode(code); // a byte; fine for ASCII, as Go for valid UTF-8
      else {
        if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000))
          throw new LiteralError(`invalid escape in string ${text}`);
        out += String.fromCodePoint(code);
      }
      i += n;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) throw new LiteralError(`invalid escape in string ${text}`);
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else throw new LiteralError(`unknown escape sequence in string ${text}`);
  }
  return out;
}

const QUOTE_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** strconv.Quote (Go's %q), the inverse of unquote: "a\x01ÿ☃" stays readable, controls escaped. */
export function quote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (QUOTE_ESCAPES[ch] !== undefined) out += QUOTE_ESCAPES[ch];
    else if (PRINTABLE.test(ch)) out += ch;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0xd800 && code < 0xe000)
      out += '\\ufffd'; // a lone surrogate: Go has none, it sees U+FFFD
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}
