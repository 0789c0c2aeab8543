// --storage.retention and --storage.chunk-interval applied on every start, on both backends, each
// change logged with its old and new value. Where TimescaleDB keeps a setting (the hypertable's
// chunk interval, the policies' config) that is what is compared and changed; the values the
// adapter applies itself at run time (native partitions, the drop_chunks job) are recorded in
// storage_settings, so that a restart with other flags can say what changed.

import { formatDuration } from '@nester/common/config/units';
import type { Logger } from '@nester/common/log/logger';
import type { Pool, PoolClient } from 'pg';
import type { StorageMode } from './detect';

export interface StorageSettings {
  chunkIntervalMs: number;
  retentionMs: number;
}

export interface SettingChange {
  flag: 'storage.retention' | 'storage.chunk-interval';
  /** What in the database now holds the new value. */
  target: string;
  /** null: it was not there (a policy someone removed), and is added again. */
  fromMs: number | null;
  toMs: number;
}

const HOUR = 3_600_000;

/** A chunk is compressed once it is closed and an hour older (late samples mostly arrive within it). */
export function compressAfterMs(chunkIntervalMs: number): number {
  return chunkIntervalMs + HOUR;
}

/** SQL for the interval of bind parameter `n`, given in milliseconds. */
export function msInterval(n: number): string {
  return `$${n}::bigint * interval '1 millisecond'`;
}

export async function applyStorageSettings(
  pool: Pool,
  mode: StorageMode,
  settings: StorageSettings,
  log: Logger,
): Promise<SettingChange[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Replicas starting together take turns; each applies its own flags.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('nester-adapter:storage-settings'))");
    const recorded = await recordedSettings(client);
    const changes: SettingChange[] = [];
    // undefined: nothing to compare with (the first start of this version), so nothing to log.
    const compare = (flag: SettingChange['flag'], target: string, fromMs: number | null | undefined, toMs: number) => {
      if (fromMs !== undefined && fromMs !== toMs) changes.push({ flag, target, fromMs, toMs });
      return fromMs !== toMs;
    };
    if (mode.engine === 'timescaledb') {
      const chunk = await hypertableChunkIntervalMs(client);
      if (
        compare(
          'storage.chunk-interval',
          'the hypertable samples (chunks made from now on)',
          chunk,
          settings.chunkIntervalMs,
        )
      ) {
        await client.query(`SELECT set_chunk_time_interval('samples', ${msInterval(1)})`, [settings.chunkIntervalMs]);
      }
      if (mode.retention === 'timescaledb retention policy') {
        await applyPolicy(client, 'policy_retention', 'drop_after', settings.retentionMs, (from, target) =>
          compare('storage.retention', target, from, settings.retentionMs),
        );
      } else {
        compare('storage.retention', 'the drop_chunks job', recorded.get('storage.retention'), settings.retentionMs);
      }
      if (mode.compression) {
        const after = compressAfterMs(settings.chunkIntervalMs);
        await applyPolicy(client, 'policy_compression', 'compress_after', after, (from, target) =>
          compare('storage.chunk-interval', `${target} (compress after one chunk interval + 1h)`, from, after),
        );
      }
    } else {
      compare(
        'storage.chunk-interval',
        'partitions made from now on (existing ones keep their bounds)',
        recorded.get('storage.chunk-interval'),
        settings.chunkIntervalMs,
      );
      compare(
        'storage.retention',
        'the maintenance job dropping partitions',
        recorded.get('storage.retention'),
        settings.retentionMs,
      );
    }
    await client.query(
      `INSERT INTO storage_settings (flag, value_ms) VALUES ('storage.chunk-interval', $1), ('storage.retention', $2)
         ON CONFLICT (flag) DO UPDATE SET value_ms = excluded.value_ms, applied_at = now()
         WHERE storage_settings.value_ms <> excluded.value_ms`,
      [settings.chunkIntervalMs, settings.retentionMs],
    );
    await client.query('COMMIT');
    for (const change of changes) {
      const from = change.fromMs === null ? 'none' : formatDuration(change.fromMs);
      const to = formatDuration(change.toMs);
      log.info(
        { flag: change.flag, from, to, target: change.target },
        `--${change.flag} changed: ${from} → ${to}, applied to ${change.target}`,
      );
    }
    return changes;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw new Error(`applying --storage.retention and --storage.chunk-interval failed: ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    client.release();
  }
}

async function recordedSettings(client: PoolClient): Promise<Map<string, number>> {
  const { rows } = await client.query<{ flag: string; ms: string }>(
    'SELECT flag, value_ms AS ms FROM storage_settings',
  );
  return new Map(rows.map((row) => [row.flag, Number(row.ms)]));
}

async function hypertableChunkIntervalMs(client: PoolClient): Promise<number | undefined> {
  const { rows } = await client.query<{ ms: string }>(
    `SELECT (extract(epoch FROM time_interval) * 1000)::bigint AS ms FROM timescaledb_information.dimensions
      WHERE hypertable_schema = current_schema() AND hypertable_name = 'samples' AND column_name = 'time'`,
  );
  return rows.length ? Number(rows[0].ms) : undefined;
}

/**
 * Sets one interval of a policy's config: alter_job keeps the job's id and run history (shown on
 * /api/v1/status); a policy someone removed is added again. `changed(fromMs, target)` notes a
 * change and says whether there is one.
 */
async function applyPolicy(
  client: PoolClient,
  proc: 'policy_retention' | 'policy_compression',
  key: 'drop_after' | 'compress_after',
  toMs: number,
  changed: (fromMs: number | null, target: string) => boolean,
): Promise<void> {
  const { rows } = await client.query<{ id: number; ms: string | null }>(
    `SELECT job_id AS id, (extract(epoch FROM (config->>$2)::interval) * 1000)::bigint AS ms
       FROM timescaledb_information.jobs
      WHERE hypertable_schema = current_schema() AND hypertable_name = 'samples' AND proc_name = $1
      ORDER BY job_id LIMIT 1`,
    [proc, key],
  );
  const job = rows[0];
  const kind = proc === 'policy_retention' ? 'retention' : 'compression';
  if (!job) {
    changed(null, `a new ${kind} policy`);
    const add = proc === 'policy_retention' ? 'add_retention_policy' : 'add_compression_policy';
    await client.query(`SELECT ${add}('samples', ${msInterval(1)})`, [toMs]);
    return;
  }
  if (!changed(job.ms === null ? null : Number(job.ms), `the ${kind} policy (job ${job.id})`)) return;
  await client.query(
    `SELECT alter_job(j.job_id, config => jsonb_set(j.config, ARRAY[$3::text], to_jsonb((${msInterval(1)})::text)))
       FROM timescaledb_information.jobs j WHERE j.job_id = $2`,
    [toMs, job.id, key],
  );
}
