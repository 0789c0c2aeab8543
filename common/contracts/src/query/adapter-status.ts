// GET /api/v1/status of the timescale-adapter (in Prometheus' envelope): what it stores into
// and its counters. The datasource plugin's "Save & test" describes the storage from it.

export interface StorageStatus {
  engine: 'timescaledb' | 'postgresql';
  partitioning: 'hypertable' | 'native range partitions';
  compression: boolean;
  retention: 'timescaledb retention policy' | 'drop_chunks job' | 'partition drop job';
  bucketFunction: 'time_bucket' | 'date_bin';
  /** PostgreSQL's server_version. */
  postgres: string;
  /** The TimescaleDB extension's version; null when not installed. */
  timescaledb: string | null;
  /** 'timescale' (TSL: compression, retention policies) or 'apache'; null without TimescaleDB. */
  license: string | null;
  /** timescaledb.max_background_workers (0: TimescaleDB's policies never run); null without TimescaleDB. */
  backgroundWorkers: number | null;
}

/** A job that keeps the samples table in shape, and how its runs went: what an operator reads when one keeps failing. */
export interface StorageJob {
  /** TimescaleDB's job id; null for the adapter's own maintenance. */
  id: number | null;
  kind: 'retention' | 'compression' | 'partitions and retention' | string;
  runBy: 'timescaledb' | 'adapter';
  scheduleMs: number;
  /** False when paused (TimescaleDB's `scheduled`). */
  scheduled: boolean;
  /** TimescaleDB's job config (drop_after, compress_after, ...); null for the adapter's own. */
  config: Record<string, unknown> | null;
  /** ISO 8601 times; null when it has not happened (TimescaleDB records only runs by its scheduler, not CALL run_job). */
  lastRunStartedAt: string | null;
  lastRunStatus: 'success' | 'failed' | null;
  lastSuccessAt: string | null;
  totalRuns: number;
  totalFailures: number;
  nextStart: string | null;
  /** The most recent failure, which may predate a later success. */
  lastError: { at: string; message: string } | null;
}

export interface AdapterStats {
  samplesWritten: number;
  samplesRejected: number;
  samplesTooOld: number;
  staleMarkers: number;
  writeFailures: number;
  readRequests: number;
  queries: number;
}

export interface AdapterStatus {
  storage: StorageStatus;
  /** Where the data is, without credentials. */
  database: string;
  /** Raw SQL queries: the role they log in as, or why they are disabled. */
  rawSql: { enabled: true; role: string } | { enabled: false; reason: string };
  retentionMs: number;
  chunkIntervalMs: number;
  /** TimescaleDB's policies on the samples table, or the adapter's own maintenance job. */
  jobs: StorageJob[];
  seriesCache: { size: number; hits: number; misses: number };
  stats: AdapterStats;
}
