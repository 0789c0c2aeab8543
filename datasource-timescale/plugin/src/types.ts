import { DataQuery, DataSourceJsonData } from '@grafana/data';

// The adapter's range functions, aggregations and matcher operators, from the contract it serves.
import {
  AGGREGATIONS,
  type AggregationOp,
  MATCH_OPS,
  type MatchOp,
  RANGE_FUNCTIONS,
  type RangeFunction,
} from '@nester/contracts/query/vocabulary';

export { AGGREGATIONS, MATCH_OPS, RANGE_FUNCTIONS };
export type { AggregationOp, MatchOp, RangeFunction };

export interface LabelMatcher {
  label: string;
  op: MatchOp;
  value: string;
}

export interface Aggregation {
  op: AggregationOp;
  /** Group by these labels, or by all labels but these; no labels means one group, as sum(x). */
  mode: 'by' | 'without';
  labels: string[];
}

/** The builder's fields: a selector, an optional range function and an optional aggregation. */
export interface BuilderFields {
  metric?: string;
  matchers?: LabelMatcher[];
  function?: RangeFunction;
  /** The range function's window: a duration (5m) or $__rate_interval, $__interval. */
  range?: string;
  aggregation?: Aggregation;
}

export type QueryMode = 'builder' | 'sql';

export interface TimescaleQuery extends DataQuery, BuilderFields {
  /** Builder (the default) or raw SQL. */
  mode?: QueryMode;
  /** Series names from labels, e.g. {{instance}}; builder queries only. */
  legendFormat?: string;
  /** One SELECT with Grafana's SQL macros; SQL queries only. */
  sql?: string;
  /**
   * A PromQL expression within what the adapter evaluates (selector, one range function, one
   * aggregation). For callers that speak PromQL, such as the fleet app or queries carried over
   * from a Prometheus datasource; it takes the place of the builder fields when set.
   */
  expr?: string;
}

export interface TimescaleOptions extends DataSourceJsonData {
  /** How often the harvesters sample (push.interval); $__rate_interval is built from it. */
  scrapeInterval?: string;
}

export interface TimescaleSecureOptions {
  /** One of the adapter's --auth.read-token-file tokens; Grafana adds it server-side. */
  readToken?: string;
}

export const DEFAULT_RANGE = '$__rate_interval';
export const DEFAULT_SCRAPE_INTERVAL = '15s';

/** A new query: the builder with no matchers yet (a fresh object each time). */
export const defaultQuery = (): Partial<TimescaleQuery> => ({ mode: 'builder', matchers: [] });
