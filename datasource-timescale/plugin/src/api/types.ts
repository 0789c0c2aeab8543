// The adapter's wire formats (datasource-timescale/README.md, "Query API for the datasource").
import { DataFrameJSON } from '@grafana/data';

import { AggregationOp, RangeFunction } from '../types';

export interface BuilderAdapterQuery {
  refId: string;
  kind?: 'builder';
  selector: string;
  function?: RangeFunction;
  range?: string;
  aggregation?: { op: AggregationOp; by?: string[]; without?: string[] };
  intervalMs?: number;
  maxDataPoints?: number;
  legendFormat?: string;
}

export interface SqlAdapterQuery {
  refId: string;
  kind: 'sql';
  sql: string;
  intervalMs?: number;
}

export type AdapterQuery = BuilderAdapterQuery | SqlAdapterQuery;

export interface QueryResult {
  frames?: DataFrameJSON[];
  error?: string;
  status?: number;
}

export interface DsQueryResponse {
  results: Record<string, QueryResult>;
}

export interface AdapterStatus {
  storage?: {
    engine?: 'timescaledb' | 'postgresql';
    partitioning?: string;
    compression?: boolean;
    retention?: string;
    bucketFunction?: string;
    postgres?: string;
    timescaledb?: string | null;
    license?: string | null;
  };
  database?: string;
  retentionMs?: number;
}
