// The adapter as a database user with no attribute at all (no SUPERUSER, CREATEROLE or CREATEDB),
// owning only its database, set up with the README's statements ("Least privilege"): it starts,
// takes the same storage path a superuser would, ingests, queries, and its storage upkeep runs
// (TimescaleDB's policies run as that user, or the adapter's partition maintenance).

import { testPool } from '@nester/testing/pool';
import { randomBytes } from 'node:crypto';
import { withClient } from '@nester/testing/database';
import { startAdapter } from '../src/app';
import { expectedStorage, ON_TIMESCALEDB, runPolicy } from './backend';
import { adapterConfig, getJson, remoteWrite, series, writeBody } from './harness';

const HOUR = 3_600_000;
const admin = <T>(work: Parameters<typeof withClient<T>>[1]) => withClient(process.env.TEST_DATABASE_URL!, work);

interface OwnDatabase {
  name: string;
  role: string;
  /** The owner's URL. */
  url: string;
  drop(): Promise<void>;
}

/** The README's statements, run by the administrator. */
async function ownDatabase(precreateExtension: boolean): Promise<OwnDatabase> {
  const name = `adapter_lp_${randomBytes(4).toString('hex')}`;
  const role = `${name}_owner`;
  const password = randomBytes(12).toString('hex');
  await admin(async (c) => {
    await c.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await c.query(`CREATE DATABASE ${name} OWNER ${role}`);
  });
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  if (precreateExtension) await withClient(url.toString(), (c) => c.query('CREATE EXTENSION timescaledb'));
  url.username = role;
  url.password = password;
  return {
    name,
    role,
    url: url.toString(),
    drop: () =>
      admin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.query(`DROP ROLE IF EXISTS ${role}`);
      }),
  };
}

const cases: [string, boolean][] = [['the adapter creates what it needs', false]];
// TimescaleDB marks its extension trusted (2.2+, PostgreSQL 13+): the owner may create it. Where
// it is not, the administrator creates it first, and the owner uses it the same way.
if (ON_TIMESCALEDB) cases.push(['the administrator created the timescaledb extension beforehand', true]);

test.each(cases)(
  'a LOGIN role owning only its database runs the adapter: %s',
  async (_, precreate) => {
    const own = await ownDatabase(precreate);
    const { pool, end: endPool } = testPool(own.url, 2);
    try {
      const attributes = await pool.query(
        'SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user',
      );
      expect(attributes.rows).toEqual([
        { rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false },
      ]);

      // A query timeout far above the harness' 2 s: compressed chunks are read slowly (issue #13, item 1)
      // and this machine is shared; this test is about privileges, not speed.
      const config = { chunkIntervalMs: HOUR, retentionMs: 2 * 24 * HOUR, queryTimeoutMs: 30_000 };
      const adapter = await startAdapter(adapterConfig(own.url, config));
      try {
        const url = `http://127.0.0.1:${adapter.port}`;
        const status = await getJson(url, '/api/v1/status');
        expect(status.body.data.storage).toEqual(expectedStorage());
        // Raw SQL needs a role of its own, which this owner may not create (README: "The raw SQL role").
        expect(status.body.data.rawSql).toMatchObject({ enabled: false });

        const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 5 * HOUR;
        const samples: [number, number][] = Array.from({ length: 11 }, (_, i) => [t0 + i * 30 * 60_000, i]);
        expect((await remoteWrite(url, writeBody([series('up', { instance: 'a' }, samples)]))).status).toBe(204);
        const query = () =>
          getJson(url, '/api/v1/ds/query', {
            method: 'POST',
            body: JSON.stringify({
              from: t0,
              to: t0 + 5 * HOUR,
              queries: [{ refId: 'A', selector: 'up', function: 'max_over_time', range: '1h', step: '1h' }],
            }),
          });
        const before = await query();
        expect(before.body.results.A.frames[0].data.values).toEqual([
          [0, 1, 2, 3, 4, 5].map((h) => t0 + h * HOUR),
          [0, 2, 4, 6, 8, 10],
        ]);

        if (ON_TIMESCALEDB) {
          // The policies belong to this user, who runs them; the closed chunks get compressed.
          await runPolicy(pool, 'policy_compression');
          await runPolicy(pool, 'policy_retention');
          const chunks = await pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'samples' AND is_compressed",
          );
          expect(chunks.rows[0].n).toBeGreaterThan(0);
          expect((await query()).body).toEqual(before.body);
        } else {
          // The partition maintenance ran at start, as this user: partitions made ahead of the clock.
          expect(status.body.data.jobs).toEqual([
            expect.objectContaining({ runBy: 'adapter', lastRunStatus: 'success', totalFailures: 0 }),
          ]);
          const ahead = await pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM sample_partitions WHERE start_time > now()',
          );
          expect(ahead.rows[0].n).toBeGreaterThan(0);
        }
      } finally {
        await adapter.close();
      }

      // And as this user new flags are applied at the next start.
      const again = await startAdapter(
        adapterConfig(own.url, { chunkIntervalMs: 2 * HOUR, retentionMs: 3 * 24 * HOUR }),
      );
      await again.close();
      const applied = await pool.query<{ ms: string }>(
        ON_TIMESCALEDB
          ? `SELECT (extract(epoch FROM (config->>'drop_after')::interval) * 1000)::bigint AS ms
               FROM timescaledb_information.jobs WHERE hypertable_name = 'samples' AND proc_name = 'policy_retention'`
          : "SELECT value_ms AS ms FROM storage_settings WHERE flag = 'storage.retention'",
      );
      expect(applied.rows.map((row) => Number(row.ms))).toEqual([3 * 24 * HOUR]);
    } finally {
      await endPool();
      await own.drop();
    }
  },
  60_000,
);
