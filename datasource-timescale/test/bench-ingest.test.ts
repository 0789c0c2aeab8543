// `npm run bench:ingest -- --db.url=…` measures the database it is given (an operator's own
// PostgreSQL or TimescaleDB) instead of starting the embedded one. Needs `npm run build`.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, withClient, type TestDatabase } from '@nester/testing/database';
import { eventually, startService } from '@nester/testing/services';

const BENCH = join(__dirname, '../dist/bench/ingest.js');
let db: TestDatabase;

beforeAll(async () => {
  if (!existsSync(BENCH)) throw new Error('run `npm run build` first');
  db = await createTestDatabase('bench_ingest');
});
afterAll(() => db.drop());

test('the bench writes into the database --db.url names and says which one it measures', async () => {
  const bench = startService('bench:ingest', process.execPath, [BENCH, `--db.url=${db.url}`], {
    BENCH_HOSTS: '2',
    BENCH_SERIES: '10',
  });
  try {
    // The first round (every series new) is acknowledged by the adapter: it is stored by then.
    await eventually(() => /first round \(creating 20 series\)/.test(bench.output()), 'the first round', 60_000).catch(
      (err: Error) => {
        throw new Error(`${err.message}\n${bench.output()}`);
      },
    );
  } finally {
    await bench.stop();
  }
  expect(bench.output()).toMatch(
    /^machine: .*; PostgreSQL \d+\.\d+.* \(--db\.url, fsync \w+, synchronous_commit \w+\)$/m,
  );
  const stored = await withClient(db.url, (client) =>
    client.query<{ series: number; samples: number }>(
      "SELECT (SELECT count(*)::int FROM series WHERE metric_name LIKE 'fleet_%') AS series, (SELECT count(*)::int FROM samples) AS samples",
    ),
  );
  expect(stored.rows[0].series).toBe(20);
  expect(stored.rows[0].samples).toBeGreaterThanOrEqual(20);
}, 90_000);

test('a database already holding samples, or an unknown argument, is refused with what to do', async () => {
  const used = await createTestDatabase('bench_ingest_used');
  try {
    await withClient(used.url, async (client) => {
      await client.query('CREATE TABLE samples (series_id bigint, time timestamptz, value float8)');
      await client.query('INSERT INTO samples VALUES (1, now(), 1)');
    });
    const full = run('--db.url', used.url);
    expect({ status: full.status, stderr: full.stderr }).toEqual({
      status: 1,
      stderr: expect.stringMatching(
        /the database at --db\.url already holds samples: give the bench an empty database/,
      ),
    });
  } finally {
    await used.drop();
  }
  const unknown = run('--db-url=postgres://x');
  expect(unknown.status).toBe(1);
  expect(unknown.stderr).toMatch(/unknown argument "--db-url=postgres:\/\/x"\nusage: .*--db\.url=/);
});

/** The bench, refusing: it answers at once (30 s: a bench that started measuring instead). */
const run = (...args: string[]) =>
  spawnSync(process.execPath, [BENCH, ...args], { encoding: 'utf8', timeout: 30_000, killSignal: 'SIGTERM' });
