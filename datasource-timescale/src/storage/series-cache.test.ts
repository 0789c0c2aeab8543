import { SeriesCache } from './series-cache';

test('keeps a working set that fits, and forgets what was not used for two generations', () => {
  const cache = new SeriesCache(3);
  ['a', 'b', 'c'].forEach((key, i) => cache.set(key, i));
  cache.set('d', 3); // young is full: a, b, c age
  expect(cache.get('a')).toBe(0); // promoted
  ['e', 'f'].forEach((key, i) => cache.set(key, 4 + i)); // young (d, a, e) full again: f starts a new one
  expect(cache.get('b')).toBeUndefined(); // two generations unused: gone
  expect(cache.get('d')).toBe(3);
  expect(cache.hits).toBe(2);
  expect(cache.misses).toBe(1);
});
