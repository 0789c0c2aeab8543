import { applyRangeFunction } from './functions';

// Counter samples every 10 s from t=10 s to t=50 s, with a reset after 30.
const times = [10_000, 20_000, 30_000, 40_000, 50_000];
const values = [10, 20, 30, 5, 15];
const apply = (fn: Parameters<typeof applyRangeFunction>[0], start: number, end: number) =>
  applyRangeFunction(fn, times, values, 0, times.length, start, end);

test('increase adds the value before a reset and extrapolates to the window edges', () => {
  // raw: 15 - 10 + 30 = 35 over 40 s sampled; window [0, 60]: 10 s to each edge is within
  // 1.1 x the 10 s spacing, but the counter would hit zero 40*(10/35) = 11.4 s before the
  // first sample, so the start extends by 10 s; total 60 s: 35 * 60 / 40 = 52.5.
  expect(apply('increase', 0, 60_000)).toBeCloseTo(52.5, 12);
  expect(apply('rate', 0, 60_000)).toBeCloseTo(52.5 / 60, 12);
  // Far edges: extrapolate only half a spacing on each side: 35 * 50 / 40.
  expect(apply('increase', -100_000, 160_000)).toBeCloseTo(43.75, 12);
});

test('delta does not treat drops as resets; irate uses the last two samples', () => {
  expect(apply('delta', 10_000, 50_000)).toBe(5);
  expect(apply('irate', 0, 60_000)).toBe(1); // (15 - 5) / 10 s
  expect(applyRangeFunction('irate', times, values, 0, 4, 0, 40_000)).toBe(0.5); // reset: 5 / 10 s
});

test('the *_over_time functions and the fewer-than-two-samples rule', () => {
  expect(apply('sum_over_time', 0, 60_000)).toBe(80);
  expect(apply('avg_over_time', 0, 60_000)).toBe(16);
  expect(apply('min_over_time', 0, 60_000)).toBe(5);
  expect(apply('max_over_time', 0, 60_000)).toBe(30);
  expect(apply('count_over_time', 0, 60_000)).toBe(5);
  expect(applyRangeFunction('rate', times, values, 0, 1, 0, 60_000)).toBeUndefined();
  expect(applyRangeFunction('avg_over_time', [1], [Infinity], 0, 1, 0, 1)).toBe(Infinity);
});

test('sum_over_time and avg_over_time compensate rounding as Prometheus 2.42 does (Kahan–Neumaier)', () => {
  const t = [1000, 2000, 3000];
  const v = [0.1, 0.2, 0.3]; // a plain running sum gives 0.6000000000000001
  expect(applyRangeFunction('sum_over_time', t, v, 0, 3, 0, 3000)).toBe(0.6);
  // A real node_cpu_seconds_total window, with the answer Prometheus 2.42 gave for it; an
  // uncompensated incremental mean gives 45.427499999999995.
  expect(applyRangeFunction('avg_over_time', [1, 2, 3, 4], [45.42, 45.42, 45.43, 45.44], 0, 4, 0, 4)).toBe(45.4275);
});
