/**
 * How Grafana's server (pkg/promlib) turns a panel's interval into a Prometheus query's step and
 * fills in $__interval, $__rate_interval and $__range before the query leaves Grafana: the
 * Prometheus frontend leaves these variables in the expression for the server to resolve.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/** promlib's ceiling on points per series (safeResolution). */
const SAFE_RESOLUTION = 11_000;
const DEFAULT_SCRAPE_INTERVAL_MS = 15 * SECOND;

/**
 * Grafana's interval rounding: @grafana/data's rangeUtil.roundInterval (a test holds the two
 * equal). Each entry: intervals below `below` round to `roundedTo`.
 */
const ROUNDING: [below: number, roundedTo: number][] = [
  [10, 1],
  [15, 10],
  [35, 20],
  [75, 50],
  [150, 100],
  [350, 200],
  [750, 500],
  [1500, SECOND],
  [3500, 2 * SECOND],
  [7500, 5 * SECOND],
  [12_500, 10 * SECOND],
  [17_500, 15 * SECOND],
  [25_000, 20 * SECOND],
  [45_000, 30 * SECOND],
  [90_000, MINUTE],
  [210_000, 2 * MINUTE],
  [450_000, 5 * MINUTE],
  [750_000, 10 * MINUTE],
  [1_050_000, 15 * MINUTE],
  [1_500_000, 20 * MINUTE],
  [2_700_000, 30 * MINUTE],
  [5_400_000, HOUR],
  [9_000_000, 2 * HOUR],
  [16_200_000, 3 * HOUR],
  [32_400_000, 6 * HOUR],
  [86_400_000, 12 * HOUR],
  [172_800_000, DAY],
  [604_800_000, DAY],
  [1_814_400_000, 7 * DAY],
];

export function roundInterval(ms: number): number {
  for (const [below, roundedTo] of ROUNDING) if (ms < below) return roundedTo;
  return ms < 3_628_800_000 ? 30 * DAY : YEAR;
}

/** A Prometheus/Grafana duration ("15s", "1m30s", "500ms", ">10s"); undefined if it is none. */
export function parseInterval(text: string): number | undefined {
  const match = /^>?((?:\d+(?:y|w|d|h|ms|m|s))+)$/.exec(text.trim());
  if (!match) return undefined;
  const units: Record<string, number> = { y: YEAR, w: 7 * DAY, d: DAY, h: HOUR, m: MINUTE, s: SECOND, ms: 1 };
  let total = 0;
  for (const [, n, unit] of match[1].matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) total += Number(n) * units[unit];
  return total;
}

/** gtime.FormatInterval: the largest whole unit, as $__interval shows it ("30s", "2m"). */
export function formatInterval(ms: number): string {
  for (const [size, unit] of [
    [YEAR, 'y'],
    [DAY, 'd'],
    [HOUR, 'h'],
    [MINUTE, 'm'],
    [SECOND, 's'],
  ] as const) {
    if (ms >= size) return `${Math.floor(ms / size)}${unit}`;
  }
  return ms >= 1 ? `${Math.floor(ms)}ms` : '1ms';
}

/** Go's time.Duration.String() for whole milliseconds, as $__rate_interval shows it ("1m0s"). */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < SECOND) return `${ms}ms`;
  const hours = Math.floor(ms / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const seconds = (ms % MINUTE) / SECOND;
  const secondsText = `${Number.isInteger(seconds) ? seconds : seconds.toFixed(3).replace(/0+$/, '')}s`;
  if (hours) return `${hours}h${minutes}m${secondsText}`;
  if (minutes) return `${minutes}m${secondsText}`;
  return secondsText;
}

export interface IntervalInput {
  fromMs: number;
  toMs: number;
  /** The query's "Min step" (may be "$__rate_interval" or empty). */
  interval?: string;
  /** The panel's interval, as the frontend computed it. */
  intervalMs?: number;
  intervalFactor?: number;
  maxDataPoints?: number;
  /** The datasource's scrape interval (jsonData.timeInterval). */
  scrapeInterval?: string;
}

const RATE_INTERVAL_VARIABLES = ['$__rate_interval', '${__rate_interval}'];

function scrapeIntervalMs(input: IntervalInput): number {
  return parseInterval(input.scrapeInterval ?? '') ?? DEFAULT_SCRAPE_INTERVAL_MS;
}

/** max(interval + scrape interval, 4 × scrape interval): Grafana's $__rate_interval. */
export function rateInterval(intervalMs: number, scrapeMs: number): number {
  return Math.max(intervalMs + scrapeMs, 4 * scrapeMs);
}

/** The step promlib sends as query_range's `step`, in ms. */
export function queryStep(input: IntervalInput): number {
  const requested = input.interval?.startsWith('$') ? '' : (input.interval ?? '');
  const minInterval =
    requested && requested !== '0s'
      ? (parseInterval(requested) ?? DEFAULT_SCRAPE_INTERVAL_MS)
      : input.intervalMs || (input.scrapeInterval ? scrapeIntervalMs(input) : DEFAULT_SCRAPE_INTERVAL_MS);
  const span = Math.max(0, input.toMs - input.fromMs);
  const calculated = Math.max(roundInterval(span / (input.maxDataPoints || 1500)), minInterval);
  const safe = roundInterval(span / SAFE_RESOLUTION);
  const adjusted = Math.max(calculated, safe);
  if (RATE_INTERVAL_VARIABLES.includes(input.interval ?? '')) return rateInterval(adjusted, scrapeIntervalMs(input));
  return adjusted * Math.max(1, input.intervalFactor ?? 1);
}

/** The expression with Grafana's interval and range variables replaced, as promlib does it. */
export function interpolateExpression(expr: string, input: IntervalInput, stepMs: number): string {
  const rangeMs = Math.max(0, input.toMs - input.fromMs);
  const rangeS = Math.round(rangeMs / 1000);
  const rate = RATE_INTERVAL_VARIABLES.includes(input.interval ?? '')
    ? stepMs
    : rateInterval(stepMs, scrapeIntervalMs(input));
  const replacements: [string, string][] = [
    ['__interval_ms', String(stepMs)],
    ['__interval', formatInterval(stepMs)],
    ['__range_ms', String(rangeMs)],
    ['__range_s', String(rangeS)],
    ['__range', `${rangeS}s`],
    ['__rate_interval_ms', String(rate)],
    ['__rate_interval', goDuration(rate)],
  ];
  let result = expr;
  for (const [name, value] of replacements) result = result.split(`$${name}`).join(value);
  for (const [name, value] of replacements) result = result.split(`\${${name}}`).join(value);
  return result;
}

/** promlib's AlignTimeRange: a time on the step's grid, so successive refreshes hit the same points. */
export function alignToStep(timeMs: number, stepMs: number): number {
  return Math.floor(timeMs / stepMs) * stepMs;
}
