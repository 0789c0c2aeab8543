// Range functions with Prometheus 2.x semantics, operation for operation, so results match
// Prometheus' own to the last bit: the window is [t - range, t] with stale markers left out;
// rate/increase/delta extrapolate towards the window's edges as extrapolatedRate() does;
// irate uses the last two samples. Inputs: parallel arrays of times (ms) and values.

import type { RangeFunction } from './vocabulary';

/** Applies `fn` to samples [from, to) of the arrays; undefined when Prometheus gives no value. */
export function applyRangeFunction(
  fn: RangeFunction,
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  from: number,
  to: number,
  rangeStart: number,
  rangeEnd: number,
): number | undefined {
  const n = to - from;
  if (n <= 0) return undefined;
  switch (fn) {
    case 'rate':
      return extrapolatedRate(times, values, from, to, rangeStart, rangeEnd, true, true);
    case 'increase':
      return extrapolatedRate(times, values, from, to, rangeStart, rangeEnd, true, false);
    case 'delta':
      return extrapolatedRate(times, values, from, to, rangeStart, rangeEnd, false, false);
    case 'irate': {
      if (n < 2) return undefined;
      const last = values[to - 1];
      const previous = values[to - 2];
      const result = last < previous ? last : last - previous;
      const interval = times[to - 1] - times[to - 2];
      if (interval === 0) return undefined;
      return result / (interval / 1000);
    }
    case 'count_over_time':
      return n;
    case 'sum_over_time': {
      // Kahan–Neumaier compensated, as Prometheus 2.42 sums (checked against it sample by sample).
      let sum = 0;
      let c = 0;
      for (let i = from; i < to; i++) [sum, c] = kahanSumInc(values[i], sum, c);
      return sum === Infinity || sum === -Infinity ? sum : sum + c;
    }
    case 'avg_over_time': {
      // An incremental mean with a compensated sum, as Prometheus 2.42 computes it.
      let mean = 0;
      let c = 0;
      let count = 0;
      for (let i = from; i < to; i++) {
        count++;
        const v = values[i];
        if (mean === Infinity || mean === -Infinity) {
          // An infinite mean stays as it is unless v is NaN or the opposite infinity.
          if ((v === Infinity || v === -Infinity) && mean > 0 === v > 0) continue;
          if (Number.isFinite(v)) continue;
        }
        [mean, c] = kahanSumInc(v / count - mean / count, mean, c);
      }
      return mean === Infinity || mean === -Infinity ? mean : mean + c;
    }
    case 'min_over_time': {
      let min = values[from];
      for (let i = from; i < to; i++) if (values[i] < min || Number.isNaN(min)) min = values[i];
      return min;
    }
    case 'max_over_time': {
      let max = values[from];
      for (let i = from; i < to; i++) if (values[i] > max || Number.isNaN(max)) max = values[i];
      return max;
    }
  }
}

/** One step of Kahan–Neumaier summation: the new sum and the new compensation. */
export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  // Neumaier's improvement: compensate with the smaller of the two terms.
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

function extrapolatedRate(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  from: number,
  to: number,
  rangeStart: number,
  rangeEnd: number,
  isCounter: boolean,
  isRate: boolean,
): number | undefined {
  if (to - from < 2) return undefined;
  const first = values[from];
  const lastIndex = to - 1;
  let result = values[lastIndex] - first;
  if (isCounter) {
    let previous = first;
    for (let i = from + 1; i < to; i++) {
      const current = values[i];
      if (current < previous) result += previous;
      previous = current;
    }
  }
  let durationToStart = (times[from] - rangeStart) / 1000;
  const durationToEnd = (rangeEnd - times[lastIndex]) / 1000;
  const sampledInterval = (times[lastIndex] - times[from]) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (to - from - 1);

  if (isCounter && result > 0 && first >= 0) {
    const durationToZero = sampledInterval * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  let extrapolateToInterval = sampledInterval;
  extrapolateToInterval +=
    durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
  extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
  let factor = extrapolateToInterval / sampledInterval;
  if (isRate) factor /= (rangeEnd - rangeStart) / 1000;
  return result * factor;
}
