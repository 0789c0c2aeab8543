// The instants a query may name: years 1 to 9999, what RFC 3339 writes and what both JS Dates
// and PostgreSQL timestamps hold. Outside, `new Date(ms).toISOString()` throws and PostgreSQL
// refuses; no sample is ever stored there (writes keep within retention and --write.max-future).

/** 0001-01-01T00:00:00Z */
export const MIN_TIME_MS = -62_135_596_800_000;
/** 9999-12-31T23:59:59.999Z */
export const MAX_TIME_MS = 253_402_300_799_999;
/** The longest span between two such instants: an upper bound for any range or step. */
export const MAX_SPAN_MS = MAX_TIME_MS - MIN_TIME_MS;

export const TIME_BOUNDS_TEXT = 'between 0001-01-01 and 9999-12-31';

export function withinTimeBounds(ms: number): boolean {
  return Number.isInteger(ms) && ms >= MIN_TIME_MS && ms <= MAX_TIME_MS;
}

/** Remote read ranges name any int64 (clients send math.MinInt64 for "from the start"): clamp them. */
export function clampTime(ms: number): number {
  return Number.isNaN(ms) ? MIN_TIME_MS : Math.min(MAX_TIME_MS, Math.max(MIN_TIME_MS, Math.trunc(ms)));
}
