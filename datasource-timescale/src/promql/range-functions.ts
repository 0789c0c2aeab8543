// Functions over a range vector's window, ported from Prometheus 2.42 (promql/functions.go)
// operation for operation, so that results agree to the last bit where the float operations do.

export class FunctionError extends Error {
  override name = 'FunctionError';
}

export interface Window {
  times: Float64Array;
  values: Float64Array;
  /** First and last index (inclusive) of the samples in the window; lo <= hi. */
  lo: number;
  hi: number;
  rangeStart: number;
  rangeEnd: number;
  rangeMs: number;
  /** The evaluation time of the step (predict_linear's reference). */
  stepTime: number;
  /** The function's scalar arguments at this step, in order. */
  scalars: number[];
}

export type RangeFunction = (w: Window) => number | undefined;

export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

function extrapolatedRate(w: Window, isCounter: boolean, isRate: boolean): number | undefined {
  const { times, values, lo, hi } = w;
  if (hi - lo + 1 < 2) return undefined;
  let result = values[hi] - values[lo];
  if (isCounter) {
    let prev = values[lo];
    for (let i = lo + 1; i <= hi; i++) {
      if (values[i] < prev) result += prev;
      prev = values[i];
    }
  }
  let durationToStart = (times[lo] - w.rangeStart) / 1000;
  const durationToEnd = (w.rangeEnd - times[hi]) / 1000;
  const sampledInterval = (times[hi] - times[lo]) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (hi - lo);
  if (isCounter && result > 0 && values[lo] >= 0) {
    const durationToZero = sampledInterval * (values[lo] / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  let extrapolateToInterval = sampledInterval;
  extrapolateToInterval +=
    durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
  extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
  let factor = extrapolateToInterval / sampledInterval;
  if (isRate) factor /= w.rangeMs / 1000;
  return result * factor;
}

function instantValue(w: Window, isRate: boolean): number | undefined {
  const { times, values, lo, hi } = w;
  if (hi - lo + 1 < 2) return undefined;
  const last = values[hi];
  const previous = values[hi - 1];
  let result = isRate && last < previous ? last : last - previous;
  const sampledInterval = times[hi] - times[hi - 1];
  if (sampledInterval === 0) return undefined;
  if (isRate) result /= sampledInterval / 1000;
  return result;
}

export function linearRegression(w: Window, interceptTime: number): [number, number] {
  const { times, values, lo, hi } = w;
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = values[lo];
  let constY = true;
  for (let i = lo; i <= hi; i++) {
    const v = values[i];
    if (constY && i > lo && v !== initY) constY = false;
    n += 1;
    const x = (times[i] - interceptTime) / 1e3;
    [sumX, cX] = kahanSumInc(x, sumX, cX);
    [sumY, cY] = kahanSumInc(v, sumY, cY);
    [sumXY, cXY] = kahanSumInc(x * v, sumXY, cXY);
    [sumX2, cX2] = kahanSumInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return [slope, intercept];
}

/** Prometheus' quantile() over sorted-by-value samples (NaN first). */
export function quantile(q: number, values: number[]): number {
  if (!values.length || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...values].sort(byValueNaNFirst);
  const n = sorted.length;
  const rank = q * (n - 1);
  const lowerIndex = Math.max(0, Math.floor(rank));
  const upperIndex = Math.min(n - 1, lowerIndex + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lowerIndex] * (1 - weight) + sorted[upperIndex] * weight;
}

function byValueNaNFirst(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a - b;
}

const isInf = (v: number) => v === Infinity || v === -Infinity;

function avgOverTime(w: Window): number {
  let mean = 0;
  let count = 0;
  let c = 0;
  for (let i = w.lo; i <= w.hi; i++) {
    const v = w.values[i];
    count++;
    if (isInf(mean)) {
      if (isInf(v) && mean > 0 === v > 0) continue;
      if (!isInf(v) && !Number.isNaN(v)) continue;
    }
    [mean, c] = kahanSumInc(v / count - mean / count, mean, c);
  }
  if (isInf(mean)) return mean;
  return mean + c;
}

function stdvarOverTime(w: Window): number {
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = w.lo; i <= w.hi; i++) {
    const v = w.values[i];
    count++;
    const delta = v - (mean + cMean);
    [mean, cMean] = kahanSumInc(delta / count, mean, cMean);
    [aux, cAux] = kahanSumInc(delta * (v - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

function holtWinters(w: Window): number | undefined {
  const [sf, tf] = w.scalars;
  if (!(sf > 0 && sf < 1))
    throw new FunctionError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf.toFixed(6)}`);
  if (!(tf > 0 && tf < 1)) throw new FunctionError(`invalid trend factor. Expected: 0 < tf < 1, got: ${tf.toFixed(6)}`);
  const { values, lo, hi } = w;
  const l = hi - lo + 1;
  if (l < 2) return undefined;
  let s0 = 0;
  let s1 = values[lo];
  let b = values[lo + 1] - values[lo];
  for (let i = 1; i < l; i++) {
    const x = sf * values[lo + i];
    if (i - 1 !== 0) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

export const RANGE_FUNCTIONS: Record<string, RangeFunction> = {
  rate: (w) => extrapolatedRate(w, true, true),
  increase: (w) => extrapolatedRate(w, true, false),
  delta: (w) => extrapolatedRate(w, false, false),
  irate: (w) => instantValue(w, true),
  idelta: (w) => instantValue(w, false),
  avg_over_time: avgOverTime,
  count_over_time: (w) => w.hi - w.lo + 1,
  last_over_time: (w) => w.values[w.hi],
  present_over_time: () => 1,
  max_over_time: (w) => {
    let max = w.values[w.lo];
    for (let i = w.lo; i <= w.hi; i++) if (w.values[i] > max || Number.isNaN(max)) max = w.values[i];
    return max;
  },
  min_over_time: (w) => {
    let min = w.values[w.lo];
    for (let i = w.lo; i <= w.hi; i++) if (w.values[i] < min || Number.isNaN(min)) min = w.values[i];
    return min;
  },
  sum_over_time: (w) => {
    let sum = 0;
    let c = 0;
    for (let i = w.lo; i <= w.hi; i++) [sum, c] = kahanSumInc(w.values[i], sum, c);
    return isInf(sum) ? sum : sum + c;
  },
  stddev_over_time: (w) => Math.sqrt(stdvarOverTime(w)),
  stdvar_over_time: stdvarOverTime,
  quantile_over_time: (w) => quantile(w.scalars[0], Array.from(w.values.subarray(w.lo, w.hi + 1))),
  changes: (w) => {
    let changes = 0;
    let prev = w.values[w.lo];
    for (let i = w.lo + 1; i <= w.hi; i++) {
      const cur = w.values[i];
      if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) changes++;
      prev = cur;
    }
    return changes;
  },
  resets: (w) => {
    let resets = 0;
    let prev = w.values[w.lo];
    for (let i = w.lo + 1; i <= w.hi; i++) {
      const cur = w.values[i];
      if (cur < prev) resets++;
      prev = cur;
    }
    return resets;
  },
  deriv: (w) => (w.hi - w.lo + 1 < 2 ? undefined : linearRegression(w, w.times[w.lo])[0]),
  predict_linear: (w) => {
    if (w.hi - w.lo + 1 < 2) return undefined;
    const [slope, intercept] = linearRegression(w, w.stepTime);
    return slope * w.scalars[0] + intercept;
  },
  holt_winters: holtWinters,
};
