// Storage upkeep on this run's backend (./backend.ts): replicas migrating at once, room for late
// data (native partitions, or hypertable chunks), retention (the adapter's partition drop, or
// TimescaleDB's retention policy run with CALL run_job), compression of closed chunks, and the
// storage flags applied on every start.

import { testPool } from '@nester/testing/pool';
import { createLogger } from '@nester/common/log/logger';
import type { TestDatabase } from '@nester/testing/database';
import { Pool } from 'pg';
import { startAdapter } from '../src/app';
import { runMaintenance } from '../src/storage/maintenance';
import { PartitionManager } from '../src/storage/partitions';
import { storageMode } from '../src/storage/detect';
import { adapterMigrations } from '../src/storage/migrations';
import { BACKEND, expectedStorage, ON_TIMESCALEDB, runPolicy } from './backend';
import { capturedLog } from './captured-log';
import { adapterConfig, createAdapterDatabase, getJson, remoteWrite, series, writeBody } from './harness';

let db: TestDatabase;
let pool: Pool;
let endPool: () => Promise<void>;
beforeAll(async () => {
  db = await createAdapterDatabase('adapter_storage');
  ({ pool, end: endPool } = testPool(db.url, 3));
});
afterAll(async () => {
  await endPool();
  await db.drop();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const old = Date.now() - 5 * DAY;

/** The spans (ms) of the partitions or chunks holding `time`. */
async function spansHolding(p: Pool, time: number): Promise<number[]> {
  const { rows } = await p.query<{ ms: string }>(
    ON_TIMESCALEDB
      ? `SELECT (extract(epoch FROM range_end - range_start) * 1000)::bigint AS ms FROM timescaledb_information.chunks
          WHERE hypertable_name = 'samples' AND range_start <= to_timestamp($1 / 1000.0) AND range_end > to_timestamp($1 / 1000.0)`
      : `SELECT (extract(epoch FROM end_time - start_time) * 1000)::bigint AS ms FROM sample_partitions
          WHERE start_time <= to_timestamp($1 / 1000.0) AND end_time > to_timestamp($1 / 1000.0)`,
    [time],
  );
  return rows.map((row) => Number(row.ms));
}

async function valuesOf(p: Pool, metric: string): Promise<[number, number][]> {
  const { rows } = await p.query<{ t: string; v: number }>(
    `SELECT (extract(epoch FROM x.time) * 1000)::bigint AS t, x.value AS v FROM samples x
       JOIN series s ON s.id = x.series_id WHERE s.metric_name = $1 ORDER BY x.time`,
    [metric],
  );
  return rows.map((row) => [Number(row.t), row.v]);
}

test(`two replicas starting at once both come up on one schema (${BACKEND})`, async () => {
  const config = adapterConfig(db.url, { chunkIntervalMs: HOUR, retentionMs: 7 * DAY });
  const [a, b] = await Promise.all([startAdapter(config), startAdapter(config)]);
  try {
    const { rows } = await pool.query(
      "SELECT version FROM schema_migrations WHERE component = 'timescale-adapter' ORDER BY 1",
    );
    const known = adapterMigrations({ chunkIntervalMs: HOUR, retentionMs: HOUR }).map((m) => m.version);
    expect(rows.map((r) => r.version)).toEqual(known);
    for (const x of [a, b]) {
      const status = await getJson(`http://127.0.0.1:${x.port}`, '/api/v1/status');
      expect(status.body.data.storage).toEqual(expectedStorage());
    }
    // Both write the same new series at once: one series row, no error.
    const body = writeBody([series('shared_metric', { host: 'x' }, [[Date.now() - 1000, 1]])]);
    const results = await Promise.all([a, b].map((x) => remoteWrite(`http://127.0.0.1:${x.port}`, body)));
    expect(results.map((r) => r.status)).toEqual([204, 204]);
    expect(
      (await pool.query("SELECT count(*)::int AS n FROM series WHERE metric_name = 'shared_metric'")).rows[0].n,
    ).toBe(1);

    // Backfill five days back: one partition (chunk) of an hour appears for each of those hours.
    const late = writeBody([
      series('late', {}, [
        [old, 1],
        [old + HOUR, 2],
      ]),
    ]);
    expect((await remoteWrite(`http://127.0.0.1:${a.port}`, late)).status).toBe(204);
    expect(await spansHolding(pool, old)).toEqual([HOUR]);
    expect(await spansHolding(pool, old + HOUR)).toEqual([HOUR]);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

if (ON_TIMESCALEDB) {
  test('the compression policy compresses closed chunks; late samples and resends into them are stored once', async () => {
    await runPolicy(pool, 'policy_compression');
    const compressed = await pool.query<{ closed: boolean; compressed: boolean }>(
      `SELECT range_end <= now() - interval '2 hours' AS closed, is_compressed AS compressed
         FROM timescaledb_information.chunks WHERE hypertable_name = 'samples'`,
    );
    // Chunks closed for an hour past their end (compress_after = chunk interval + 1h) are compressed, the rest not.
    expect(compressed.rows.filter((c) => c.closed).length).toBeGreaterThan(0);
    for (const chunk of compressed.rows) expect(chunk).toEqual({ closed: chunk.closed, compressed: chunk.closed });

    const adapter = await startAdapter(adapterConfig(db.url, { chunkIntervalMs: HOUR, retentionMs: 7 * DAY }));
    try {
      const url = `http://127.0.0.1:${adapter.port}`;
      const resend = writeBody([
        series('late', {}, [
          [old, 1],
          [old + 30 * 60_000, 1.5],
          [old + HOUR, 2],
        ]),
      ]);
      expect((await remoteWrite(url, resend)).status).toBe(204);
      expect((await remoteWrite(url, resend)).status).toBe(204);
    } finally {
      await adapter.close();
    }
    expect(await valuesOf(pool, 'late')).toEqual([
      [old, 1],
      [old + 30 * 60_000, 1.5],
      [old + HOUR, 2],
    ]);
  });

  test('the retention policy, run by TimescaleDB, drops whole chunks past the cut-off and nothing newer', async () => {
    // Eight days old, past the seven-day retention: inserted directly (ingest drops samples that old).
    const expired = Date.now() - 8 * DAY;
    await pool.query(
      `INSERT INTO samples (series_id, time, value)
         SELECT id, to_timestamp($1 / 1000.0), 7 FROM series WHERE metric_name = 'late'`,
      [expired],
    );
    expect(await spansHolding(pool, expired)).toEqual([HOUR]);
    const before = (await pool.query('SELECT count(*)::int AS n FROM samples')).rows[0].n;
    await runPolicy(pool, 'policy_retention');
    expect(await spansHolding(pool, expired)).toEqual([]);
    expect((await pool.query('SELECT count(*)::int AS n FROM samples')).rows[0].n).toBe(before - 1);
    expect((await valuesOf(pool, 'late')).map(([t]) => t)).toEqual([old, old + 30 * 60_000, old + HOUR]);
    const oldest = await pool.query(
      "SELECT min(range_start) AS t FROM timescaledb_information.chunks WHERE hypertable_name = 'samples'",
    );
    expect(new Date(oldest.rows[0].t).getTime()).toBeGreaterThanOrEqual(Date.now() - 7 * DAY - HOUR);
  });
} else {
  test('retention drops whole partitions past the cut-off and nothing newer', async () => {
    const manager = new PartitionManager(pool, HOUR);
    await manager.load();
    const before = (await pool.query('SELECT count(*)::int AS n FROM samples')).rows[0].n;
    const log = createLogger({ name: 'test', level: 'error' });
    const mode = storageMode({ serverVersion: '17', timescaledbAvailable: false }, false);
    // Pretend it is three days later with a seven-day retention: the five-day-old samples (now eight) go.
    await runMaintenance(
      { pool, partitions: manager, mode, retentionMs: 7 * DAY, chunkIntervalMs: HOUR, log },
      Date.now() + 3 * DAY,
    );
    expect(await valuesOf(pool, 'late')).toEqual([]);
    expect((await pool.query('SELECT count(*)::int AS n FROM samples')).rows[0].n).toBe(before - 2);
    const oldest = await pool.query('SELECT min(start_time) AS t FROM sample_partitions');
    expect(new Date(oldest.rows[0].t).getTime()).toBeGreaterThanOrEqual(Date.now() - 4 * DAY - HOUR);
  });
}

describe('--storage.retention and --storage.chunk-interval', () => {
  let flagsDb: TestDatabase;
  let flagsPool: Pool;
  let endFlagsPool: () => Promise<void>;
  beforeAll(async () => {
    flagsDb = await createAdapterDatabase('adapter_flags');
    ({ pool: flagsPool, end: endFlagsPool } = testPool(flagsDb.url, 2));
  });
  afterAll(async () => {
    await endFlagsPool();
    await flagsDb.drop();
  });

  /** What the database holds now: the hypertable's and policies' settings, or the recorded flags. */
  async function appliedSettings(): Promise<Record<string, number>> {
    const { rows } = await flagsPool.query<{ name: string; ms: string }>(
      ON_TIMESCALEDB
        ? `SELECT 'chunk interval' AS name, (extract(epoch FROM time_interval) * 1000)::bigint AS ms
             FROM timescaledb_information.dimensions WHERE hypertable_name = 'samples'
           UNION ALL
           SELECT proc_name || ' ' || key, (extract(epoch FROM (config->>key)::interval) * 1000)::bigint
             FROM timescaledb_information.jobs, unnest(ARRAY['drop_after', 'compress_after']) AS key
            WHERE hypertable_name = 'samples' AND config ? key`
        : 'SELECT flag AS name, value_ms AS ms FROM storage_settings',
    );
    return Object.fromEntries(rows.map((row) => [row.name, Number(row.ms)]));
  }

  const settingsFor = (chunk: number, retention: number) =>
    ON_TIMESCALEDB
      ? {
          'chunk interval': chunk,
          'policy_retention drop_after': retention,
          'policy_compression compress_after': chunk + HOUR,
        }
      : { 'storage.chunk-interval': chunk, 'storage.retention': retention };

  async function start(chunkIntervalMs: number, retentionMs: number) {
    const captured = capturedLog();
    const adapter = await startAdapter(adapterConfig(flagsDb.url, { chunkIntervalMs, retentionMs, log: captured.log }));
    return {
      adapter,
      url: `http://127.0.0.1:${adapter.port}`,
      changes: () => captured.messages().filter((m) => /changed/.test(m)),
    };
  }

  test('apply on every start, not only the first, and the log says what changed from what', async () => {
    const a = await start(HOUR, 7 * DAY);
    try {
      expect(a.changes()).toEqual([]);
      const body = writeBody([
        series('flags', {}, [
          [old, 5],
          [Date.now() - 2 * DAY, 2],
          [Date.now() - 60_000, 0],
        ]),
      ]);
      expect((await remoteWrite(a.url, body)).status).toBe(204);
    } finally {
      await a.adapter.close();
    }
    expect(await appliedSettings()).toEqual(settingsFor(HOUR, 7 * DAY));

    const b = await start(2 * HOUR, 3 * DAY);
    try {
      expect(await appliedSettings()).toEqual(settingsFor(2 * HOUR, 3 * DAY));
      expect(b.changes()).toEqual(
        ON_TIMESCALEDB
          ? [
              expect.stringMatching(/^--storage\.chunk-interval changed: 1h → 2h, applied to the hypertable samples/),
              expect.stringMatching(
                /^--storage\.retention changed: 1w → 3d, applied to the retention policy \(job \d+\)/,
              ),
              expect.stringMatching(
                /^--storage\.chunk-interval changed: 2h → 3h, applied to the compression policy \(job \d+\)/,
              ),
            ]
          : [
              expect.stringMatching(
                /^--storage\.chunk-interval changed: 1h → 2h, applied to partitions made from now on/,
              ),
              expect.stringMatching(/^--storage\.retention changed: 1w → 3d, applied to the maintenance job/),
            ],
      );
      const status = await getJson(b.url, '/api/v1/status');
      expect(status.body.data).toMatchObject({ chunkIntervalMs: 2 * HOUR, retentionMs: 3 * DAY });

      // New partitions (chunks) span the new interval: a day and a half back there was none yet.
      const fresh = Date.now() - 36 * HOUR;
      expect((await remoteWrite(b.url, writeBody([series('flags', {}, [[fresh, 1.5]])]))).status).toBe(204);
      expect(await spansHolding(flagsPool, fresh)).toEqual([2 * HOUR]);
      // The new retention drops what is older than three days, and nothing newer (the adapter's
      // maintenance ran at start; TimescaleDB's policy runs on its schedule, here now).
      if (ON_TIMESCALEDB) await runPolicy(flagsPool, 'policy_retention');
      expect((await valuesOf(flagsPool, 'flags')).map(([, v]) => v)).toEqual([2, 1.5, 0]);
    } finally {
      await b.adapter.close();
    }

    // The same flags again: nothing changes, nothing is said.
    const c = await start(2 * HOUR, 3 * DAY);
    try {
      expect(c.changes()).toEqual([]);
      expect(await appliedSettings()).toEqual(settingsFor(2 * HOUR, 3 * DAY));
    } finally {
      await c.adapter.close();
    }
  });
});
