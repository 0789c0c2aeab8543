// Storage upkeep: replicas migrating at once, partitions made for late data, retention.

import { createLogger } from '@nester/common/log/logger';
import type { TestDatabase } from '@nester/testing/database';
import { Pool } from 'pg';
import { startAdapter } from '../src/app';
import { runMaintenance } from '../src/storage/maintenance';
import { PartitionManager } from '../src/storage/partitions';
import { storageMode } from '../src/storage/detect';
import { adapterMigrations } from '../src/storage/migrations';
import { adapterConfig, createAdapterDatabase, remoteWrite, series, writeBody } from './harness';

let db: TestDatabase;
let pool: Pool;
beforeAll(async () => {
  db = await createAdapterDatabase('adapter_storage');
  pool = new Pool({ connectionString: db.url, max: 3 });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

const HOUR = 3_600_000;

test('two replicas starting at once both come up on one schema', async () => {
  const config = adapterConfig(db.url, { chunkIntervalMs: HOUR, retentionMs: 7 * 24 * HOUR });
  const [a, b] = await Promise.all([startAdapter(config), startAdapter(config)]);
  try {
    const { rows } = await pool.query(
      "SELECT version FROM schema_migrations WHERE component = 'timescale-adapter' ORDER BY 1",
    );
    const known = adapterMigrations({ chunkIntervalMs: HOUR, retentionMs: HOUR }).map((m) => m.version);
    expect(rows.map((r) => r.version)).toEqual(known);
    // Both write the same new series at once: one series row, no error.
    const body = writeBody([series('shared_metric', { host: 'x' }, [[Date.now() - 1000, 1]])]);
    const results = await Promise.all([a, b].map((x) => remoteWrite(`http://127.0.0.1:${x.port}`, body)));
    expect(results.map((r) => r.status)).toEqual([204, 204]);
    expect(
      (await pool.query("SELECT count(*)::int AS n FROM series WHERE metric_name = 'shared_metric'")).rows[0].n,
    ).toBe(1);

    // Backfill five days back: partitions appear for those hours.
    const old = Date.now() - 5 * 24 * HOUR;
    expect(
      (
        await remoteWrite(
          `http://127.0.0.1:${a.port}`,
          writeBody([
            series('late', {}, [
              [old, 1],
              [old + HOUR, 2],
            ]),
          ]),
        )
      ).status,
    ).toBe(204);
    const covering = await pool.query(
      'SELECT count(*)::int AS n FROM sample_partitions WHERE start_time <= to_timestamp($1 / 1000.0) AND end_time > to_timestamp($1 / 1000.0)',
      [old],
    );
    expect(covering.rows[0].n).toBe(1);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('retention drops whole partitions past the cut-off and nothing newer', async () => {
  const manager = new PartitionManager(pool, HOUR);
  await manager.load();
  const before = (await pool.query('SELECT count(*)::int AS n FROM samples')).rows[0].n;
  const log = createLogger({ name: 'test', level: 'error' });
  const mode = storageMode({ serverVersion: '17', timescaledbAvailable: false }, false);
  // Pretend it is three days later with a seven-day retention: the five-day-old samples (now eight) go.
  await runMaintenance(
    { pool, partitions: manager, mode, retentionMs: 7 * 24 * HOUR, chunkIntervalMs: HOUR, log },
    Date.now() + 3 * 24 * HOUR,
  );
  const left = await pool.query(
    "SELECT count(*)::int AS n FROM samples JOIN series ON series.id = series_id WHERE metric_name = 'late'",
  );
  expect(left.rows[0].n).toBe(0);
  expect((await pool.query('SELECT count(*)::int AS n FROM samples')).rows[0].n).toBe(before - 2);
  const oldest = await pool.query('SELECT min(start_time) AS t FROM sample_partitions');
  expect(new Date(oldest.rows[0].t).getTime()).toBeGreaterThanOrEqual(Date.now() - 4 * 24 * HOUR - HOUR);
});
