import { randomBytes } from 'node:crypto';
import {
  snappyCheckedLength,
  snappyCompress,
  snappyMaxExpansion,
  snappyUncompress,
  snappyUncompressedLength,
  SnappyError,
} from './snappy';

function roundTrip(input: Buffer): Buffer {
  const compressed = snappyCompress(input);
  expect(snappyUncompressedLength(compressed)).toBe(input.length);
  return snappyUncompress(compressed);
}

test('round-trips empty, tiny, random and repetitive data across 64 KiB block boundaries', () => {
  const text = Buffer.from('node_cpu_seconds_total{cpu="0",mode="idle"} '.repeat(5000));
  for (const input of [Buffer.alloc(0), Buffer.from('a'), randomBytes(100_000), text, Buffer.alloc(200_000, 7)]) {
    expect(roundTrip(input).equals(input)).toBe(true);
  }
  expect(snappyCompress(text).length).toBeLessThan(text.length / 10);
});

test('decodes a hand-built block with a literal and an overlapping copy (the format spec example)', () => {
  // length 10, literal "ab", copy length 8 at offset 2 -> "ababababab"
  const block = Buffer.from([10, (2 - 1) << 2, 0x61, 0x62, ((8 - 4) << 2) | 1, 2]);
  expect(snappyUncompress(block).toString()).toBe('ababababab');
});

test('decodes 2- and 4-byte offset copies and long literals as the reference encoder writes them', () => {
  // header 308 (varint), literal of 300 with a 2-byte length, then copies of 4 at offsets 300 and 10
  const block = Buffer.concat([Buffer.from([0xb4, 0x02, 61 << 2, 299 & 0xff, 299 >> 8]), Buffer.alloc(300, 'x')]);
  const withCopies = Buffer.concat([block, Buffer.from([((4 - 1) << 2) | 2, 44, 1, ((4 - 1) << 2) | 3, 10, 0, 0, 0])]);
  expect(snappyUncompress(withCopies).toString()).toBe('x'.repeat(308));
});

test('refuses corrupt input with a SnappyError, never another exception', () => {
  const good = snappyCompress(Buffer.from('hello hello hello hello hello hello'));
  const cases = [
    Buffer.alloc(0),
    Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]), // length header too long
    Buffer.from([5, 0x01]), // copy before any output
    Buffer.from([3, 0x00, 0x61]), // declared 3, gave 1
    good.subarray(0, good.length - 2),
    Buffer.from('sNaPpY'), // the framed stream magic is not a block
  ];
  for (const input of cases) expect(() => snappyUncompress(input)).toThrow(SnappyError);
});

test('refuses a block that declares more than the caller allows before allocating it', () => {
  const bomb = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x0f]); // declares 4 GiB - 1... roughly
  expect(() => snappyUncompress(bomb, 1 << 20)).toThrow(/exceeds the limit/);
});

test('refuses a block declaring more than its input can expand to, before allocating it', () => {
  // 5 bytes declaring 255 MiB, under a 256 MiB limit: no input that short can expand that far.
  const bomb = Buffer.from([0xff, 0xff, 0xff, 0x7f, 0x00]);
  expect(snappyUncompressedLength(bomb)).toBe(255 * 2 ** 20 + 0xfffff);
  expect(() => snappyCheckedLength(bomb, 256 << 20)).toThrow(/more than its 1 bytes can expand to \(21\)/);
  expect(() => snappyUncompress(bomb, 256 << 20)).toThrow(/can expand to/);
});

test('the expansion bound is reached by the densest block (2-byte-offset copies of 64), and holds', () => {
  const copies = 1000;
  const block = Buffer.concat([
    Buffer.from(varint(1 + 64 * copies)),
    Buffer.from([0, 0x61]), // literal "a"
    Buffer.alloc(copies * 3).fill(Buffer.from([(63 << 2) | 2, 1, 0])), // copy 64 at offset 1
  ]);
  const body = block.length - varint(1 + 64 * copies).length;
  expect(1 + 64 * copies).toBeLessThanOrEqual(snappyMaxExpansion(body));
  expect(snappyMaxExpansion(body) - (1 + 64 * copies)).toBeLessThan(64);
  expect(snappyUncompress(block).equals(Buffer.alloc(1 + 64 * copies, 'a'))).toBe(true);
});

test('copies of every length at every short offset, overlapping or not, decode as the format says', () => {
  const literal = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!?');
  for (let offset = 1; offset <= literal.length; offset++) {
    for (let len = 1; len <= 64; len++) {
      const tags = Buffer.from([((len - 1) << 2) | 2, offset, 0]);
      const block = Buffer.concat([
        Buffer.from(varint(literal.length + len)),
        Buffer.from([60 << 2, literal.length - 1]), // literal, length in one extra byte
        literal,
        tags,
      ]);
      // The format's definition, byte by byte.
      const expected = Buffer.concat([literal, Buffer.alloc(len)]);
      for (let i = literal.length; i < expected.length; i++) expected[i] = expected[i - offset];
      expect({ offset, len, out: snappyUncompress(block).toString() }).toEqual({
        offset,
        len,
        out: expected.toString(),
      });
    }
  }
});

function varint(value: number): number[] {
  const bytes = [];
  for (; value >= 0x80; value = Math.floor(value / 128)) bytes.push((value & 0x7f) | 0x80);
  bytes.push(value);
  return bytes;
}

test('fuzzed blocks either decode or throw SnappyError', () => {
  const seed = snappyCompress(Buffer.from('abcabcabcabc the quick brown fox '.repeat(50)));
  for (let i = 0; i < 3000; i++) {
    const mutated = Buffer.from(seed);
    for (let k = 0; k < 1 + (i % 4); k++) mutated[(i * 7919 + k * 104729) % mutated.length] ^= 1 + ((i + k) % 255);
    try {
      snappyUncompress(mutated, 1 << 20);
    } catch (err) {
      expect(err).toBeInstanceOf(SnappyError);
    }
  }
});
