import { labelKey, SeriesCache, type LabelKey, viewOf } from './series-cache';

const key = (text: string): LabelKey => labelKey(Buffer.from(text));
const withHash = (hash: number, text: string): LabelKey => ({ ...key(text), hash });

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
  cache.set(withHash(7, 'one label set'), 1);
  expect(cache.get(withHash(7, 'another label set'))).toBeUndefined();
  expect(cache.get(withHash(7, 'one label sex'))).toBeUndefined();
  expect(cache.get(withHash(7, 'one label set'))).toBe(1);
});

test('a key is a view: the cache keeps a copy, not the request body it points into', () => {
  const cache = new SeriesCache(10);
  const body = Buffer.from('xx one label set yy');
  cache.set(labelKey(body, 3, 16), 5);
  body.fill(0);
  expect(cache.get(key('one label set'))).toBe(5);
});

test('the hash spreads similar label sets, in its low bits too (they index the table)', () => {
  const hashes = new Set<number>();
  const buckets = new Set<number>();
  for (let i = 0; i < 25_000; i++) {
    const k = key(`__name__\x12node_cpu_seconds_total instance host-${i}:9100 mode idle`);
    hashes.add(k.hash);
    buckets.add(k.hash & 0x7fff);
  }
  // 32 bits: a collision among 25,000 keys is unlikely (0.07 expected; the byte comparison settles it).
  expect(hashes.size).toBeGreaterThan(25_000 - 3);
  // 25,000 keys into 2^15 buckets fill about 17,490 of them when spread uniformly.
  expect(buckets.size).toBeGreaterThan(17_000);
});

test('finds every one of many entries after the table and the key arena have grown', () => {
  const cache = new SeriesCache(1_000_000);
  const n = 10_000; // the slot table starts at 1,024 and doubles five times on the way
  for (let i = 0; i < n; i++) cache.set(key(`{instance="host-${i}", job="node", ${'x'.repeat(i % 300)}}`), 2 ** 40 + i);
  const wrong = [];
  for (let i = 0; i < n; i++) {
    const id = cache.get(key(`{instance="host-${i}", job="node", ${'x'.repeat(i % 300)}}`));
    if (id !== 2 ** 40 + i) wrong.push([i, id]);
  }
  expect(wrong).toEqual([]);
  expect(cache.get(key(`{instance="host-${n}", job="node", }`))).toBeUndefined();
  expect(cache.size).toBe(n);
  expect(cache.lookup(viewOf(Buffer.from('no such key')), 0, 11, key('no such key').hash)).toBe(-1);
});
