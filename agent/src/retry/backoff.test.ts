import { seeded } from '@nester/testing/random';
import { Backoff, backoffDelay, parseRetryAfter } from './backoff';

test('delays grow exponentially up to the ceiling, jittered, and reset after success', () => {
  const top = new Backoff({ minMs: 30, maxMs: 5000 }, () => 1);
  expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(() => top.next())).toEqual([
    30, 60, 120, 240, 480, 960, 1920, 3840, 5000, 5000,
  ]);
  top.reset();
  expect(top.next()).toBe(30);
  const bottom = new Backoff({ minMs: 30, maxMs: 5000 }, () => 0);
  expect([1, 2, 3].map(() => bottom.next())).toEqual([30, 30, 30]);
});

test("the receiver's Retry-After is honoured when longer than our own delay", () => {
  const backoff = new Backoff({ minMs: 30, maxMs: 5000 }, () => 0.5);
  expect(backoff.next(10_000)).toBe(10_000);
  expect(parseRetryAfter('7')).toBe(7000);
  expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
  expect(parseRetryAfter('soon')).toBeUndefined();
  expect(parseRetryAfter(undefined)).toBeUndefined();
});

test('grows exponentially up to the cap, and jitter spreads the delays', () => {
  const options = { initialMs: 1000, maxMs: 60_000 };
  expect(backoffDelay(0, options, () => 0.999)).toBe(999);
  expect(backoffDelay(3, options, () => 0.999)).toBe(7992);
  expect(backoffDelay(20, options, () => 0.999)).toBe(59_940);
  expect(backoffDelay(20, options, () => 0)).toBe(500);
  const random = seeded(7);
  const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(10, options, () => random.next())));
  expect(spread.size).toBeGreaterThan(40);
});
