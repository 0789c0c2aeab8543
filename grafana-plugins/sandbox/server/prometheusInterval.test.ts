/** @jest-environment jsdom */
import { rangeUtil } from '@grafana/data';
import { seeded } from '@nester/testing/random';

import {
  alignToStep,
  formatInterval,
  goDuration,
  interpolateExpression,
  parseInterval,
  queryStep,
  roundInterval,
} from './prometheusInterval';

const HOUR = 3_600_000;

test("interval rounding is Grafana's own table (@grafana/data's rangeUtil.roundInterval)", () => {
  const random = seeded(2042);
  const samples = [0, 1, 10, 11, 15, 1500, 1501, 17_500, 90_000, 3_628_799_999, 3_628_800_000, 10 * 365 * 86_400_000];
  for (let i = 0; i < 3000; i++) samples.push(Math.floor(10 ** (random.int(1100) / 100)));
  for (const ms of samples) expect([ms, roundInterval(ms)]).toEqual([ms, rangeUtil.roundInterval(ms)]);
});

test('durations read and written as Grafana and Go write them', () => {
  expect(['15s', '1m30s', '500ms', '>10s', '2h', '1w', 'soon', '', '5'].map(parseInterval)).toEqual([
    15_000,
    90_000,
    500,
    10_000,
    2 * HOUR,
    7 * 24 * HOUR,
    undefined,
    undefined,
    undefined,
  ]);
  expect([500, 15_000, 60_000, 75_000, 2 * HOUR].map(goDuration)).toEqual(['500ms', '15s', '1m0s', '1m15s', '2h0m0s']);
  expect([500, 15_000, 60_000, 90_000, 2 * HOUR, 3 * 86_400_000].map(formatInterval)).toEqual([
    '500ms',
    '15s',
    '1m',
    '1m',
    '2h',
    '3d',
  ]);
});

test('step and $__rate_interval as promlib computes them: max(interval + scrape, 4 × scrape)', () => {
  const lastHour = { fromMs: 0, toMs: HOUR, intervalMs: 15_000, maxDataPoints: 1500, scrapeInterval: '15s' };
  expect(queryStep(lastHour)).toBe(15_000);
  expect(interpolateExpression('rate(x[$__rate_interval]) / $__interval_ms', lastHour, 15_000)).toBe(
    'rate(x[1m0s]) / 15000',
  );
  // A week on a 600 px panel: the step grows with the range, and the rate window with it.
  const week = { ...lastHour, toMs: 7 * 24 * HOUR, intervalMs: 600_000, maxDataPoints: 600 };
  expect(queryStep(week)).toBe(900_000);
  expect(interpolateExpression('rate(x[$__rate_interval]) $__interval ${__range} $__range_s', week, 900_000)).toBe(
    'rate(x[15m15s]) 15m 604800s 604800',
  );
  // The safe resolution caps the points per series at 11,000 whatever the panel asks.
  expect(queryStep({ fromMs: 0, toMs: 30 * 24 * HOUR, intervalMs: 1000, maxDataPoints: 1e9 })).toBe(5 * 60_000);
  // "Min step" wins over the panel's interval; $__rate_interval as min step makes the step that.
  expect(queryStep({ ...lastHour, interval: '1m' })).toBe(60_000);
  expect(queryStep({ ...lastHour, interval: '$__rate_interval' })).toBe(60_000);
  expect(alignToStep(1_000_123, 15_000)).toBe(990_000);
});
