// Periodic upkeep: partitions made ahead of the clock (so ingest rarely waits on DDL) and
// data past retention dropped whole, partition by partition (or chunk by chunk with
// TimescaleDB under the Apache licence, where retention policies are not available).
// Each run is recorded in a MaintenanceState, which /api/v1/status shows.

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

export const MAINTENANCE_EVERY_MS = 10 * 60_000;

/** How the adapter's own maintenance runs went, in this process. */
export interface MaintenanceState {
  everyMs: number;
  totalRuns: number;
  totalFailures: number;
  lastRunStartedAt?: Date;
  lastRunFailed?: boolean;
  lastSuccessAt?: Date;
  lastError?: { at: Date; message: string };
  nextStart?: Date;
}

/** Whether this storage mode needs the adapter's maintenance at all (TimescaleDB's policies do it otherwise). */
export function needsMaintenance(o: Pick<MaintenanceOptions, 'partitions' | 'mode'>): boolean {
  return Boolean(o.partitions) || o.mode.retention === 'drop_chunks job';
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

export function newMaintenanceState(everyMs = MAINTENANCE_EVERY_MS): MaintenanceState {
  return { everyMs, totalRuns: 0, totalFailures: 0 };
}

/** runMaintenance, its outcome recorded in `state`; rethrows a failure. */
export async function runRecorded(o: MaintenanceOptions, state: MaintenanceState): Promise<void> {
  const started = new Date();
  state.totalRuns++;
  state.lastRunStartedAt = started;
  state.nextStart = new Date(started.getTime() + state.everyMs);
  try {
    await runMaintenance(o, started.getTime());
    state.lastRunFailed = false;
    state.lastSuccessAt = new Date();
  } catch (err) {
    state.totalFailures++;
    state.lastRunFailed = true;
    state.lastError = { at: new Date(), message: (err as Error).message };
    throw err;
  }
}

/** Runs maintenance every `state.everyMs`; returns a stop function. */
export function scheduleMaintenance(o: MaintenanceOptions, state: MaintenanceState): () => void {
  const tick = () =>
    runRecorded(o, state).catch((err: Error) => o.log.warn({ err: err.message }, 'maintenance failed; will retry'));
  const timer = setInterval(tick, state.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
