import { labelKey, SeriesCache, type LabelKey } from './series-cache';

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

test('the hash spreads similar label sets', () => {
  const hashes = new Set<number>();
  for (let i = 0; i < 100_000; i++) {
    const k = key(`__name__\x12node_cpu_seconds_total instance host-${i}:9100 mode idle`);
    hashes.add(k.hash);
  }
  expect(hashes.size).toBe(100_000);
});
