// Test support for fuzz tests: generators of hostile input, driven by a seeded PRNG so a failure
// replays exactly with the same seed. No Math.random anywhere in the tests.

import type { Random } from '@nester/testing/random';

/** Strings that break parsers, databases and UTF-16 handling. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '😀'.repeat(100),
  '\u202e\u0301\ufeff',
  '\\',
  '%00',
  '%2e%2e%2f',
  '../../etc/passwd',
  "'; DROP TABLE fleet.harvesters; --",
  '<script>alert(1)</script>',
  '${jndi:x}',
  '\r\nX-Injected: 1',
  'é'.repeat(3000),
  'A'.repeat(70_000),
  '1e400',
  'NaN',
  '-0',
  '24h',
  '0s',
  '100000000000y',
  'h_0000000000000000',
];

const NASTY_NUMBERS = [0, -0, -1, 1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 5e-324, 1e21, 3];

export function randomString(rng: Random): string {
  if (rng.chance(0.5)) return rng.pick(NASTY_STRINGS);
  const length = rng.between(0, rng.chance(0.1) ? 2000 : 40);
  let out = '';
  for (let i = 0; i < length; i++) {
    const kind = rng.between(0, 5);
    const code =
      kind === 0
        ? rng.between(0, 0x1f)
        : kind === 1
          ? rng.between(0xd800, 0xdfff) // surrogates, paired or (mostly) lone
          : kind === 2
            ? rng.between(0x80, 0xffff)
            : rng.between(0x20, 0x7e);
    out += String.fromCharCode(code);
  }
  return out;
}

/** Any JSON value, nested up to `depth`, with the strings and numbers above. */
export function randomJson(rng: Random, depth = 4): unknown {
  const kind = rng.between(0, depth > 0 ? 7 : 4);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.chance(0.5) ? rng.pick(NASTY_NUMBERS) : rng.between(-1000, 1000);
    case 3:
    case 4:
      return randomString(rng);
    case 5:
      return Array.from({ length: rng.between(0, 5) }, () => randomJson(rng, depth - 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = rng.between(0, 5); i > 0; i--) out[randomString(rng)] = randomJson(rng, depth - 1);
      return out;
    }
  }
}

/** Very deep nesting, which recursive code would not survive. */
export function deepJson(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** `encodeURIComponent`, or '' for what it refuses (lone surrogates a random string may hold). */
export function encoded(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '';
  }
}
