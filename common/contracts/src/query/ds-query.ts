// POST /api/v1/ds/query, the adapter's query API behind the nester-timescale-datasource plugin
// (datasource-timescale/README.md, "Query API for the datasource"): queries in, Grafana data
// frames per refId out.

import type { FrameJSON } from './frames';
import type { AggregationOp, RangeFunction } from './vocabulary';

/** Across series per step; neither `by` nor `without` is one group of everything, as sum(x). */
export interface AdapterAggregation {
  op: AggregationOp;
  by?: string[];
  without?: string[];
}

/** A selector, an optional range function and an optional aggregation. */
export interface BuilderAdapterQuery {
  refId: string;
  kind?: 'builder';
  /** PromQL series selector, e.g. `node_cpu_seconds_total{mode!="idle"}`. */
  selector: string;
  function?: RangeFunction;
  /** The range function's window: a duration (`5m`) or milliseconds. */
  range?: string | number;
  aggregation?: AdapterAggregation;
  /** A duration (`15s`) or milliseconds; defaults to intervalMs, then to (to - from) / maxDataPoints. */
  step?: string | number;
  intervalMs?: number;
  maxDataPoints?: number;
  /** Series names from labels, e.g. `{{instance}}`. */
  legendFormat?: string;
  /** Hidden queries are left out of the answer. */
  hide?: boolean;
}

/** One SELECT with Grafana's SQL macros (when the adapter has raw SQL enabled). */
export interface SqlAdapterQuery {
  refId: string;
  kind: 'sql';
  sql: string;
  intervalMs?: number;
  hide?: boolean;
}

export type AdapterQuery = BuilderAdapterQuery | SqlAdapterQuery;

export interface DsQueryRequest {
  /** Epoch milliseconds or an RFC 3339 time. */
  from: number | string;
  to: number | string;
  queries: AdapterQuery[];
}

/** One query's answer: its frames, or why it failed (with the HTTP status it would have had). */
export interface DsQueryResult {
  frames: FrameJSON[];
  error?: string;
  status?: number;
}

/**
 * Results by refId. When every query failed the HTTP status is the first failure's, and the
 * body still carries each query's result.
 */
export interface DsQueryResponse {
  results: Record<string, DsQueryResult>;
}
