import { seeded } from '@nester/testing/random';
import { DEFAULT_RECONNECT_PACING, reconnectDelay } from './reconnect-pacing';

const MINUTE = 60_000;

test('while nester was reachable recently, no reconnect delay exceeds the short ceiling', () => {
  const random = seeded(17);
  const lastConnected = 1_000_000;
  for (let attempt = 0; attempt < 40; attempt++) {
    const now = lastConnected + attempt * 3000;
    const delay = reconnectDelay(attempt, lastConnected, now, DEFAULT_RECONNECT_PACING, () => random.next());
    expect(delay).toBeLessThanOrEqual(DEFAULT_RECONNECT_PACING.recentMaxMs);
    expect(delay).toBeGreaterThanOrEqual(500);
  }
});

test('the short ceiling keeps its jitter, so a fleet does not return in the same second', () => {
  const random = seeded(3);
  const delays = new Set(Array.from({ length: 50 }, () => reconnectDelay(12, 0, 1000, undefined, () => random.next())));
  expect(delays.size).toBeGreaterThan(40);
});

test('a nester away for long, or never reached, gets the full back-off again', () => {
  const top = () => 0.999;
  expect(reconnectDelay(20, 0, 11 * MINUTE, undefined, top)).toBe(59_940);
  expect(reconnectDelay(20, undefined, 0, undefined, top)).toBe(59_940);
  expect(reconnectDelay(20, 0, 9 * MINUTE, undefined, top)).toBe(4995);
});
