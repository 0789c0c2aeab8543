// The words of the adapter's query API: the range functions and aggregations it evaluates and
// the label matcher operators of its selectors. The datasource plugin offers exactly these, so
// the two cannot drift apart.

export const RANGE_FUNCTIONS = [
  'rate',
  'irate',
  'increase',
  'delta',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
] as const;
export type RangeFunction = (typeof RANGE_FUNCTIONS)[number];

export const AGGREGATIONS = ['sum', 'avg', 'min', 'max', 'count'] as const;
export type AggregationOp = (typeof AGGREGATIONS)[number];

/** Prometheus' label matchers: equal, not equal, regex match, regex no match (fully anchored). */
export const MATCH_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatchOp = (typeof MATCH_OPS)[number];
