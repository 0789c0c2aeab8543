import { backoffDelay } from './backoff';

test('grows exponentially up to the cap, and jitter spreads the delays', () => {
  const options = { initialMs: 1000, maxMs: 60_000 };
  expect(backoffDelay(0, options, () => 0.999)).toBe(999);
  expect(backoffDelay(3, options, () => 0.999)).toBe(7992);
  expect(backoffDelay(20, options, () => 0.999)).toBe(59_940);
  expect(backoffDelay(20, options, () => 0)).toBe(500);
  const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(10, options)));
  expect(spread.size).toBeGreaterThan(40);
});
