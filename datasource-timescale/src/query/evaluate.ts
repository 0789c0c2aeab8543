// Evaluates a range query the way Prometheus' engine does at each step t of [start, end]:
// without a function, the newest sample within the lookback window [t - 5m, t] (none if it is a
// stale marker); with a range function, the function over the non-stale samples in
// [t - range, t]. Then the optional aggregation across series.

import type { Label } from '@nester/common/prompb/types';
import type { SeriesSamples } from './fetch';
import { applyRangeFunction } from './functions';
import type { RangeFunction } from './vocabulary';

export const LOOKBACK_DELTA_MS = 5 * 60_000;

export interface StepRange {
  start: number;
  end: number;
  step: number;
}

export interface ResultSeries {
  labels: Label[];
  times: number[];
  values: number[];
}

export function evaluateSeries(
  labels: Label[],
  samples: SeriesSamples | undefined,
  steps: StepRange,
  fn?: RangeFunction,
  rangeMs?: number,
): ResultSeries | undefined {
  const out: ResultSeries = {
    labels: fn ? labels.filter((l) => l.name !== '__name__') : labels,
    times: [],
    values: [],
  };
  if (!samples || samples.length === 0) return undefined;
  if (fn) {
    // The window's non-stale samples, found by sweeping two cursors over stale-free copies.
    const { times, values } = withoutStale(samples);
    let lo = 0;
    let hi = 0;
    for (let t = steps.start; t <= steps.end; t += steps.step) {
      const rangeStart = t - rangeMs!;
      while (lo < times.length && times[lo] < rangeStart) lo++;
      while (hi < times.length && times[hi] <= t) hi++;
      const value = applyRangeFunction(fn, times, values, lo, hi, rangeStart, t);
      if (value !== undefined) {
        out.times.push(t);
        out.values.push(value);
      }
    }
  } else {
    let next = 0; // first sample after t
    for (let t = steps.start; t <= steps.end; t += steps.step) {
      while (next < samples.length && samples.times[next] <= t) next++;
      const i = next - 1;
      if (i < 0 || samples.times[i] < t - LOOKBACK_DELTA_MS || samples.stale[i]) continue;
      out.times.push(t);
      out.values.push(samples.values[i]);
    }
  }
  return out.times.length ? out : undefined;
}

function withoutStale(samples: SeriesSamples): { times: Float64Array; values: Float64Array } {
  let stale = 0;
  for (let i = 0; i < samples.length; i++) stale += samples.stale[i];
  if (!stale) {
    return { times: samples.times.subarray(0, samples.length), values: samples.values.subarray(0, samples.length) };
  }
  const times = new Float64Array(samples.length - stale);
  const values = new Float64Array(samples.length - stale);
  for (let i = 0, j = 0; i < samples.length; i++) {
    if (samples.stale[i]) continue;
    times[j] = samples.times[i];
    values[j++] = samples.values[i];
  }
  return { times, values };
}
