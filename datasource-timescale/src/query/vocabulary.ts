// The words of the query API: the range functions and aggregations the adapter evaluates. The
// datasource plugin offers exactly these (plugin/src/types.ts re-exports this file), so the two
// cannot drift apart. No imports: the plugin's browser bundle includes it.

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
