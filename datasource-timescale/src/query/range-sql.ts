// The SQL that evaluates a builder query's selector and range function, per series and per step,
// with Prometheus 2.x semantics. Only fragments written here go into the text; every value
// (series ids, times, step, range, limits) is a bind parameter:
//   $1 series ids  $2/$3 first/last sample time read (timestamptz)  $4 first step (epoch ms)
//   $5 step (ms)  $6 last step index  $7 window (ms: the range, or the 5 m lookback)
//   $8 most samples to read; for the bucketed functions also $9 the bucket width (interval),
//   $10 the buckets' origin (timestamptz), $11 the range minus one bucket width (ms)
//
// Per series, one index-ordered scan yields arrays of its samples' times (epoch ms) and values,
// plus, for counters, the positions of resets; the series are read one after the other, each
// scan stopping where the sample limit would be exceeded, and nothing is evaluated unless the
// samples read stay within it. At step t the window [t - range, t] is then
// the index range [lo, hi] of those arrays (width_bucket: a binary search), so the first and
// last samples, their count, irate's last two samples and whether a reset lies inside are O(1)
// look-ups; a window with a reset re-reads only its own samples to add them back in
// Prometheus' order. min/max/sum/avg_over_time aggregate the samples per bucket (date_bin, or
// TimescaleDB's time_bucket), then combine the buckets of each window with a window frame.

import type { RangeFunction } from '@nester/contracts/query/vocabulary';

export type BucketFunction = 'date_bin' | 'time_bucket';

/** The per-window combinations computed from bucket aggregates rather than from array look-ups. */
const BUCKETED = new Set<RangeFunction>(['avg_over_time', 'sum_over_time', 'min_over_time', 'max_over_time']);

export function usesBuckets(fn: RangeFunction | undefined): boolean {
  return fn !== undefined && BUCKETED.has(fn);
}

/** The statement for `fn` (undefined: the instant selector, newest sample in the lookback window). */
export function rangeQuerySql(fn: RangeFunction | undefined, bucketFunction: BucketFunction): string {
  const counter = fn === 'rate' || fn === 'increase';
  const bucketed = usesBuckets(fn);
  const columns = [
    "round(date_part('epoch', time) * 1000)::int8 AS ms",
    ...(bucketed ? [`${bucketEnd(bucketFunction)} AS bucket`] : []),
  ];
  const arrays = [
    'array_agg(x.ms ORDER BY x.time) AS t',
    'array_agg(x.value ORDER BY x.time) AS v',
    ...(bucketed ? ['array_agg(x.bucket ORDER BY x.time) AS b'] : []),
  ];
  // Where the counter resets: the positions of the samples lower than the one before. Short
  // (usually empty), so one binary search on it tells whether a window holds a reset. Found by
  // walking the values array against itself shifted by one (unnest of two arrays pairs them up):
  // a window function over the scan (lag) stored every sample's row again.
  const resets = counter
    ? `, (SELECT coalesce(array_agg(p.n + 1 ORDER BY p.n), '{}') FROM unnest(a.v[2:], a.v) WITH ORDINALITY AS p(value, prev, n)
         WHERE ${lessThan('p.value', 'p.prev')}) AS r`
    : '';
  // Stale markers end a series for the instant selector; range functions never see them.
  // is_stale_marker() written out: as a STRICT SQL function it is not inlined, and a call per
  // sample costs more than the rest of the scan.
  const stale = fn ? `AND NOT ${STALE_MARKER('value')}` : '';
  const nulls = [
    'NULL::int8[] AS t',
    'NULL::float8[] AS v',
    ...(counter ? ['NULL::int8[] AS r'] : []),
    ...(bucketed ? ['NULL::int8[] AS b'] : []),
  ];
  // One pass reads the samples and enforces the sample limit: the recursive CTE builds the
  // series' arrays one series at a time, carrying the number of samples read so far, and each
  // series' scan stops one past what the limit leaves (a separate bounded count first read
  // every sample twice). Nothing is evaluated unless the total stays within the limit.
  // The next series' id is a column of the recursion (next_id), not an expression: TimescaleDB
  // pushes `series_id = s.next_id` down to its compressed chunks' segment index, so each scan
  // decompresses that series' batches only; `series_id = ($1::int8[])[s.i + 1]` stayed a filter
  // above the decompression, which decompressed every series' batches per series (7.5 s
  // instead of 0.85 s for increase over 100 series x 24 h here).
  return `WITH RECURSIVE s AS (
  SELECT 0 AS i, 0::int8 AS samples, NULL::int8 AS id, ($1::int8[])[1] AS next_id, ${nulls.join(', ')}
  UNION ALL
  SELECT s.i + 1, s.samples + coalesce(cardinality(a.t), 0), s.next_id, ($1::int8[])[s.i + 2], a.t, a.v${resets}${bucketed ? ', a.b' : ''}
    FROM s CROSS JOIN LATERAL (
      SELECT ${arrays.join(', ')}
        FROM (SELECT time, value, ${columns.join(', ')}
                FROM (SELECT time, value
                        FROM samples
                       WHERE series_id = s.next_id AND time >= $2::timestamptz AND time <= $3::timestamptz ${stale}
                       ORDER BY time
                       LIMIT $8::int8 - s.samples + 1) AS y
             ) AS x
    ) AS a
   WHERE s.i < cardinality($1::int8[]) AND s.samples <= $8::int8
)
SELECT NULL::int8 AS id, NULL::bytea AS k, NULL::bytea AS v, (SELECT max(samples) FROM s) AS samples
UNION ALL
SELECT s.id, p.k, p.v, NULL
  FROM s
  CROSS JOIN LATERAL (
    -- Steps and values as their 4- and 8-byte binary forms run together: decoded with no text
    -- parsing, and every bit of each float8 kept.
    SELECT string_agg(int4send(q.k), ''::bytea ORDER BY q.k) AS k, string_agg(float8send(q.val), ''::bytea ORDER BY q.k) AS v
      FROM (${bucketed ? bucketedSteps(fn!) : lookupSteps(fn)} OFFSET 0) AS q
     WHERE q.val IS NOT NULL
  ) AS p
 WHERE s.t IS NOT NULL AND p.k IS NOT NULL AND (SELECT max(samples) FROM s) <= $8::int8`;
}

/**
 * Every step k with its time t and window [lo, hi] as indexes into the series' arrays (1-based;
 * empty when hi < lo): hi counts the samples at or before t, lo - 1 those before t - range.
 * OFFSET 0 here and below keeps each layer a subquery, so no expression is copied into the
 * next layer and evaluated twice; every layer runs once per series, over its steps.
 */
const STEPS = `SELECT k, t, width_bucket(t, s.t) AS hi, width_bucket(t - $7::int8 - 1, s.t) + 1 AS lo
       FROM (SELECT k, $4::int8 + k * $5::int8 AS t FROM generate_series(0, $6::int4) AS k) AS g
     OFFSET 0`;

/** Prometheus' stale marker: one NaN bit pattern (the migrations' is_stale_marker(), inlined). */
const STALE_MARKER = (value: string) =>
  `(${value} = 'NaN'::float8 AND float8send(${value}) = '\\x7ff0000000000002'::bytea)`;

/** Go's `a < b`: false when either is NaN (SQL orders NaN above every number). */
function lessThan(a: string, b: string): string {
  return `(${a} < ${b} AND ${b} <> 'NaN'::float8)`;
}

/** The end of the right-closed bucket (end - width, end] holding `time`, in epoch ms. */
function bucketEnd(fn: BucketFunction): string {
  const start = `${fn}($9::interval, time - interval '1 microsecond', $10::timestamptz)`;
  return `round(date_part('epoch', ${start} + $9::interval) * 1000)::int8`;
}

/**
 * Functions of the window's first and last samples and its count. Each array element is read
 * once, in its own layer: a subscript costs more than the arithmetic done with it.
 */
function lookupSteps(fn: RangeFunction | undefined): string {
  switch (fn) {
    case undefined:
      return `SELECT e.k, CASE WHEN NOT ${STALE_MARKER('e.last')} THEN e.last END AS val
        FROM (SELECT w.k, s.v[w.hi] AS last FROM (${STEPS}) AS w WHERE w.hi >= w.lo OFFSET 0) AS e`;
    case 'count_over_time':
      return `SELECT w.k, (w.hi - w.lo + 1)::float8 AS val FROM (${STEPS}) AS w WHERE w.hi >= w.lo`;
    case 'irate': {
      // The last two samples; a drop is a counter reset, so the last value is the increase.
      const increase = `CASE WHEN ${lessThan('e.last', 'e.previous')} THEN e.last ELSE e.last - e.previous END`;
      return `SELECT e.k, (${increase}) / ((e.last_t - e.previous_t)::float8 / 1000::float8) AS val
        FROM (SELECT w.k, s.v[w.hi] AS last, s.v[w.hi - 1] AS previous, s.t[w.hi] AS last_t, s.t[w.hi - 1] AS previous_t
                FROM (${STEPS}) AS w WHERE w.hi > w.lo OFFSET 0) AS e`;
    }
    case 'rate':
    case 'increase':
    case 'delta':
      return extrapolatedSteps(fn);
    default:
      throw new Error(`${fn} is not evaluated by array look-ups`);
  }
}

/**
 * rate, increase and delta as Prometheus' extrapolatedRate(), operation for operation: the
 * increase (with counter resets added back), then the extrapolation towards the window's edges
 * (by at most 1.1 x the average spacing, else half a spacing; a counter not below zero),
 * divided by the range for rate.
 */
function extrapolatedSteps(fn: 'rate' | 'increase' | 'delta'): string {
  const counter = fn !== 'delta';
  // Prometheus adds the value before each reset to last - first, in time order; SQL's sum over
  // the ordered rows (last - first first) makes exactly those additions. Only windows holding
  // a reset (one of the reset positions lies in (lo, hi]) read their samples again.
  const result = counter
    ? `CASE WHEN NOT e.reset THEN e.last - e.first ELSE (
             SELECT sum(c.x ORDER BY c.i) FROM (
               SELECT e.last - e.first AS x, e.lo AS i
               UNION ALL
               SELECT s.v[i - 1], i FROM generate_series(e.lo + 1, e.hi) AS i WHERE ${lessThan('s.v[i]', 's.v[i - 1]')}
             ) AS c) END`
    : 'e.last - e.first';
  // The counter's zero point: the start is pulled in to where the line through the window's
  // samples would reach zero, if that is nearer.
  const toStart = counter
    ? `CASE WHEN z.result > 0::float8 AND z.result <> 'NaN'::float8 AND z.first >= 0::float8 AND z.first <> 'NaN'::float8
                 AND z.sampled * (z.first / z.result) < z.to_start
            THEN z.sampled * (z.first / z.result) ELSE z.to_start END`
    : 'z.to_start';
  const perRange = fn === 'rate' ? ' / ($7::int8::float8 / 1000::float8)' : '';
  return `SELECT d.k, d.result * (
               (d.sampled
                + CASE WHEN d.to_start < d.threshold THEN d.to_start ELSE d.average / 2::float8 END
                + CASE WHEN d.to_end < d.threshold THEN d.to_end ELSE d.average / 2::float8 END)
               / d.sampled${perRange}) AS val
      FROM (SELECT z.k, z.result, z.sampled, z.average, z.to_end, z.average * 1.1::float8 AS threshold,
                   ${toStart} AS to_start
              FROM (SELECT y.*, y.sampled / y.gaps AS average
                      FROM (SELECT e.k, ${result} AS result, e.first, (e.hi - e.lo)::float8 AS gaps,
                                   (e.last_t - e.first_t)::float8 / 1000::float8 AS sampled,
                                   (e.first_t - (e.t - $7::int8))::float8 / 1000::float8 AS to_start,
                                   (e.t - e.last_t)::float8 / 1000::float8 AS to_end
                              FROM (SELECT w.*, s.v[w.lo] AS first, s.v[w.hi] AS last, s.t[w.lo] AS first_t,
                                           s.t[w.hi] AS last_t${counter ? ', width_bucket(w.hi, s.r) > width_bucket(w.lo, s.r) AS reset' : ''}
                                      FROM (${STEPS}) AS w
                                     WHERE w.hi > w.lo
                                    OFFSET 0) AS e
                            OFFSET 0) AS y
                    OFFSET 0) AS z
            OFFSET 0) AS d`;
}

/**
 * min/max/sum/avg_over_time: per bucket of width gcd(step, range) the samples' min, max or sum;
 * a step row's frame holds the buckets ending in (t - range, t], that is its window without the
 * sample exactly at t - range (the window is closed there), which comes from the arrays.
 */
function bucketedSteps(fn: RangeFunction): string {
  const edge = `CASE WHEN f.edge_t = f.t - $7::int8 THEN f.edge END`;
  let aggregate: string;
  let val: string;
  switch (fn) {
    case 'min_over_time':
      // SQL's min and least() rank NaN above every number, so NaN only when every sample is NaN:
      // what Prometheus' loop gives.
      aggregate = 'min(u.v)';
      val = `least(f.agg, ${edge})`;
      break;
    case 'max_over_time':
      // SQL's max would prefer NaN; Prometheus' loop gives NaN only when every sample is NaN.
      aggregate = `max(u.v) FILTER (WHERE u.v <> 'NaN'::float8)`;
      val = `coalesce(greatest(f.agg, CASE WHEN f.edge <> 'NaN'::float8 THEN ${edge} END), 'NaN'::float8)`;
      break;
    case 'sum_over_time':
      aggregate = 'sum(u.v)';
      val = `coalesce(${edge} + coalesce(f.agg, 0::float8), f.agg)`;
      break;
    case 'avg_over_time':
      aggregate = 'sum(u.v)';
      val = `coalesce(${edge} + coalesce(f.agg, 0::float8), f.agg) / (f.hi - f.lo + 1)::float8`;
      break;
    default:
      throw new Error(`${fn} is not evaluated from buckets`);
  }
  const frameAggregate = fn === 'max_over_time' ? 'max' : fn === 'min_over_time' ? 'min' : 'sum';
  return `SELECT f.k, ${val} AS val
      FROM (SELECT r.k, r.t, r.lo, r.hi, s.t[r.lo] AS edge_t, s.v[r.lo] AS edge,
                   ${frameAggregate}(r.agg) OVER (ORDER BY r.t RANGE BETWEEN $11::int8 PRECEDING AND CURRENT ROW) AS agg
              FROM (SELECT NULL::int4 AS k, u.b AS t, NULL::int4 AS lo, NULL::int4 AS hi, ${aggregate} AS agg
                      FROM unnest(s.b, s.v) AS u(b, v)
                     GROUP BY u.b
                    UNION ALL
                    SELECT w.k, w.t, w.lo, w.hi, NULL FROM (${STEPS}) AS w WHERE w.hi >= w.lo
                   ) AS r
           ) AS f
     WHERE f.k IS NOT NULL`;
}
