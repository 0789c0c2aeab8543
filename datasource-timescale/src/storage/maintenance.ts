// Periodic upkeep: partitions made ahead of the clock (so ingest rarely waits on DDL) and
// data past retention dropped whole, partition by partition (or chunk by chunk with
// TimescaleDB under the Apache licence, where retention policies are not available).

import type { Logger } from '@nester/common/log/logger';
import type { Pool } from 'pg';
import type { StorageMode } from './detect';
import type { PartitionManager } from './partitions';

export interface MaintenanceOptions {
  pool: Pool;
  partitions?: PartitionManager;
  mode: StorageMode;
  retentionMs: number;
  chunkIntervalMs: number;
  log: Logger;
}

export async function runMaintenance(o: MaintenanceOptions, now = Date.now()): Promise<void> {
  if (o.partitions) {
    await o.partitions.ensure([now, now + o.chunkIntervalMs, now + 2 * o.chunkIntervalMs]);
    const dropped = await o.partitions.dropBefore(now - o.retentionMs);
    if (dropped.length) o.log.info({ partitions: dropped }, 'dropped partitions past retention');
  } else if (o.mode.retention === 'drop_chunks job') {
    const { rows } = await o.pool.query<{ chunk: string }>(
      `SELECT drop_chunks('samples', older_than => now() - $1::bigint * interval '1 millisecond') AS chunk`,
      [o.retentionMs],
    );
    if (rows.length) o.log.info({ chunks: rows.map((r) => r.chunk) }, 'dropped chunks past retention');
  }
}

/** Runs maintenance now and then every `everyMs`; returns a stop function. */
export function scheduleMaintenance(o: MaintenanceOptions, everyMs = 10 * 60_000): () => void {
  // Never rejects: a failed run is logged and retried at the next tick.
  const tick = () =>
    void runMaintenance(o).catch((err: Error) => o.log.warn({ err: err.message }, 'maintenance failed; will retry'));
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
