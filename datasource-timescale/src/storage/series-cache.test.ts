import { hashBytes, SeriesCache, type LabelKey } from './series-cache';

const key = (text: string): LabelKey => {
  const bytes = Buffer.from(text);
  return { hash: hashBytes(bytes, 0, bytes.length), bytes };
};

test('keeps a working set that fits, and forgets what was not used for two generations', () => {
  const cache = new SeriesCache(3);
  ['a', 'b', 'c'].forEach((k, i) => cache.set(key(k), i));
  cache.set(key('d'), 3); // young is full: a, b, c age
  expect(cache.get(key('a'))).toBe(0); // promoted
  ['e', 'f'].forEach((k, i) => cache.set(key(k), 4 + i)); // young (d, a, e) full again: f starts a new one
  expect(cache.get(key('b'))).toBeUndefined(); // two generations unused: gone
  expect(cache.get(key('d'))).toBe(3);
  expect(cache.hits).toBe(2);
  expect(cache.misses).toBe(1);
});

test('a hash collision is never taken for a hit: the bytes must match', () => {
  const cache = new SeriesCache(10);
  cache.set({ hash: 7, bytes: Buffer.from('one label set') }, 1);
  expect(cache.get({ hash: 7, bytes: Buffer.from('another label set') })).toBeUndefined();
  expect(cache.get({ hash: 7, bytes: Buffer.from('one label set') })).toBe(1);
});

test('the hash spreads similar label sets', () => {
  const hashes = new Set<number>();
  for (let i = 0; i < 100_000; i++) {
    const k = key(`__name__\x12node_cpu_seconds_total instance host-${i}:9100 mode idle`);
    hashes.add(k.hash);
  }
  expect(hashes.size).toBe(100_000);
});
