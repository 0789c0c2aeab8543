// What the database offers, found out at start-up and never assumed: TimescaleDB may be
// installed or not, loadable or not, and under the Apache or the Timescale licence.

import type { Pool, PoolClient } from 'pg';

export interface StorageCapabilities {
  serverVersion: string;
  /** TimescaleDB version installed in this database (after migrations), if any. */
  timescaledb?: string;
  /** Whether the extension could be created here (available and preloaded). */
  timescaledbAvailable: boolean;
  /** 'timescale' (TSL: compression, retention policies) or 'apache'. */
  license?: string;
  /** timescaledb.max_background_workers: 0 means TimescaleDB's policies never run on their own. */
  backgroundWorkers?: number;
}

export async function detectCapabilities(db: Pool | PoolClient): Promise<StorageCapabilities> {
  const { rows } = await db.query<{
    version: string;
    installed: string | null;
    available: string | null;
    workers: string | null;
    license: string | null;
  }>(`SELECT current_setting('server_version') AS version,
       (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS installed,
       (SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb') AS available,
       -- Defined by TimescaleDB's loader, so present only when it is preloaded, and readable by
       -- every role (shared_preload_libraries needs pg_read_all_settings: a non-superuser owner
       -- would see none and get plain partitions on a TimescaleDB server). pg_settings does not
       -- list placeholders, so a timescaledb.* line in postgresql.conf alone does not count.
       (SELECT setting FROM pg_settings WHERE name = 'timescaledb.max_background_workers') AS workers,
       current_setting('timescaledb.license', true) AS license`);
  const row = rows[0];
  return {
    serverVersion: row.version,
    timescaledb: row.installed ?? undefined,
    timescaledbAvailable: Boolean(row.installed || (row.available && row.workers !== null)),
    license: row.license ?? undefined,
    backgroundWorkers: row.workers === null ? undefined : Number(row.workers),
  };
}

/** What the adapter does with those capabilities: logged at start-up and served on /api/v1/status. */
export interface StorageMode {
  engine: 'timescaledb' | 'postgresql';
  partitioning: 'hypertable' | 'native range partitions';
  compression: boolean;
  retention: 'timescaledb retention policy' | 'drop_chunks job' | 'partition drop job';
  bucketFunction: 'time_bucket' | 'date_bin';
}

export function storageMode(caps: StorageCapabilities, hypertable: boolean): StorageMode {
  if (hypertable && caps.timescaledb) {
    const tsl = caps.license === 'timescale';
    return {
      engine: 'timescaledb',
      partitioning: 'hypertable',
      compression: tsl,
      retention: tsl ? 'timescaledb retention policy' : 'drop_chunks job',
      bucketFunction: 'time_bucket',
    };
  }
  return {
    engine: 'postgresql',
    partitioning: 'native range partitions',
    compression: false,
    retention: 'partition drop job',
    bucketFunction: 'date_bin',
  };
}
