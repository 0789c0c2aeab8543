// Panel queries in nester-timescale-datasource's query model (its builder fields: a selector,
// at most one range function and one aggregation), typed with the plugin's own TimescaleQuery so
// a function or operator the adapter does not evaluate does not compile.
import type { DataSourceRef } from '@grafana/schema';

import type {
  AggregationOp,
  LabelMatcher,
  RangeFunction,
  TimescaleQuery,
} from '../../../datasource-timescale/plugin/src/types';
import { METRICS_DATASOURCE } from './ids';

export type Target = TimescaleQuery & { datasource: DataSourceRef };

export const eq = (label: string, value: string): LabelMatcher => ({ label, op: '=', value });
export const ne = (label: string, value: string): LabelMatcher => ({ label, op: '!=', value });
export const re = (label: string, value: string): LabelMatcher => ({ label, op: '=~', value });
export const nre = (label: string, value: string): LabelMatcher => ({ label, op: '!~', value });

export interface QueryParts {
  metric: string;
  matchers?: LabelMatcher[];
  /** A range function over $__rate_interval unless `range` says otherwise. */
  fn?: RangeFunction;
  range?: string;
  /** An aggregation by these labels (none: one group, as sum(x)). */
  agg?: AggregationOp;
  by?: string[];
  legend?: string;
}

export function query(refId: string, parts: QueryParts): Target {
  return {
    refId,
    datasource: METRICS_DATASOURCE,
    mode: 'builder',
    metric: parts.metric,
    matchers: parts.matchers ?? [],
    ...(parts.fn ? { function: parts.fn, range: parts.range ?? '$__rate_interval' } : {}),
    ...(parts.agg ? { aggregation: { op: parts.agg, mode: 'by', labels: parts.by ?? [] } } : {}),
    ...(parts.legend ? { legendFormat: parts.legend } : {}),
  };
}
