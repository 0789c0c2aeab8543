// Test support for fuzz tests: a seeded PRNG (mulberry32) and generators of hostile input, so a
// failure replays exactly with the same seed. No Math.random anywhere in the tests.

export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: a float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  bytes(length: number): Buffer {
    return Buffer.from(Array.from({ length }, () => this.int(0, 255)));
  }
}

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

export function randomString(rng: Rng): string {
  if (rng.chance(0.5)) return rng.pick(NASTY_STRINGS);
  const length = rng.int(0, rng.chance(0.1) ? 2000 : 40);
  let out = '';
  for (let i = 0; i < length; i++) {
    const kind = rng.int(0, 5);
    const code =
      kind === 0
        ? rng.int(0, 0x1f)
        : kind === 1
          ? rng.int(0xd800, 0xdfff) // surrogates, paired or (mostly) lone
          : kind === 2
            ? rng.int(0x80, 0xffff)
            : rng.int(0x20, 0x7e);
    out += String.fromCharCode(code);
  }
  return out;
}

/** Any JSON value, nested up to `depth`, with the strings and numbers above. */
export function randomJson(rng: Rng, depth = 4): unknown {
  const kind = rng.int(0, depth > 0 ? 7 : 4);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.chance(0.5) ? rng.pick(NASTY_NUMBERS) : rng.int(-1000, 1000);
    case 3:
    case 4:
      return randomString(rng);
    case 5:
      return Array.from({ length: rng.int(0, 5) }, () => randomJson(rng, depth - 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = rng.int(0, 5); i > 0; i--) out[randomString(rng)] = randomJson(rng, depth - 1);
      return out;
    }
  }
}

/** Very deep nesting, which recursive code would not survive. */
export function deepJson(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}
