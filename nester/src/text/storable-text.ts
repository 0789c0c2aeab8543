// Text that PostgreSQL accepts and that stays bounded: its `text` refuses NUL, its `jsonb` refuses
// NUL and lone UTF-16 surrogates (`\u0000`, `\ud800`), and a cut made with `.slice()` can split a
// surrogate pair and leave a lone half. Untrusted strings go through here before they are stored.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * At most `maxCodePoints` code points of `value`, cut on a code point boundary, without NUL and
 * lone surrogates (and without any control character when `stripControls`).
 */
export function storableText(value: string, maxCodePoints: number, { stripControls = false } = {}): string {
  let out = '';
  let kept = 0;
  // for…of walks code points: a pair comes out whole, a lone surrogate alone.
  for (const char of value) {
    if (kept >= maxCodePoints) break;
    const code = char.codePointAt(0)!;
    if (code === 0 || (code >= 0xd800 && code <= 0xdfff) || (stripControls && CONTROL.test(char))) continue;
    out += char;
    kept++;
  }
  return out;
}

// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `value` holds a NUL or a lone surrogate, which PostgreSQL would refuse. */
export function hasUnstorableCharacters(value: string): boolean {
  return UNSTORABLE.test(value);
}
