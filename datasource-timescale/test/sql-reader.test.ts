// Raw SQL against the real binary: it logs in as its own role, which holds SELECT on the
// public relations and nothing else, so the ways out of a `SET ROLE` boundary (set_config,
// RESET ROLE, session authorization, server files, programs, other backends, dblink) all end
// in a 4xx and change nothing.

import { existsSync } from 'node:fs';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { type TestDatabase, withClient } from '@nester/testing/database';
import { BIN, startAdapterBinary, type AdapterProcess } from './binary';
import { createAdapterDatabase, getJson, remoteWrite, series, writeBody } from './harness';
import { expectedStorage, ON_TIMESCALEDB } from './backend';

const t0 = Date.now() - 10 * 60_000;

// The owner here is the cluster's superuser; PostgreSQL 15 (the TimescaleDB run) and 17 (the
// embedded one) refuse signalling its backends in different words.
const TERMINATE_REFUSED = ON_TIMESCALEDB
  ? /must be a superuser to terminate superuser process/
  : /permission denied|must be a member/;

const admin = <T>(work: (client: Client) => Promise<T>) => withClient(process.env.TEST_DATABASE_URL!, work);

async function sql(
  adapter: AdapterProcess,
  text: string,
): Promise<{ status: number; error?: string; values?: unknown[][] }> {
  const { status, body } = await getJson(adapter.url, '/api/v1/ds/query', {
    method: 'POST',
    body: JSON.stringify({ from: t0 - 60_000, to: t0 + 60_000, queries: [{ refId: 'Q', kind: 'sql', sql: text }] }),
  });
  const result = body.results?.Q;
  return { status, error: result?.error, values: result?.frames?.[0]?.data.values };
}

/** What an escape would change: roles, server settings, stored rows. */
async function footprint(dbUrl: string): Promise<string> {
  const roles = await admin((c) =>
    c.query(`SELECT rolname, rolsuper, rolcreaterole, rolcanlogin, rolinherit FROM pg_roles ORDER BY 1`),
  );
  const settings = await admin((c) =>
    c.query(`SELECT name, setting FROM pg_settings WHERE source <> 'session' ORDER BY 1`),
  );
  const memberships = await admin((c) => c.query('SELECT roleid, member FROM pg_auth_members ORDER BY 1, 2'));
  const rows = await withClient(dbUrl, (c) =>
    c.query(`SELECT (SELECT count(*) FROM samples) AS samples, (SELECT count(*) FROM series) AS series,
                    (SELECT count(*) FROM label) AS labels,
                    (SELECT count(*) FROM pg_class WHERE relpersistence = 't') AS temp_tables`),
  );
  return JSON.stringify([roles.rows, settings.rows, memberships.rows, rows.rows]);
}

describe('an owner that may create roles (superuser here): the adapter creates its reader', () => {
  let db: TestDatabase;
  let adapter: AdapterProcess;
  let owner: string;
  const canary = join(tmpdir(), `adapter-sql-canary-${randomBytes(4).toString('hex')}`);

  beforeAll(async () => {
    db = await createAdapterDatabase('adapter_sqlr');
    await withClient(db.url, (c) => c.query('CREATE EXTENSION IF NOT EXISTS dblink'));
    owner = decodeURIComponent(new URL(db.url).username);
    adapter = await startAdapterBinary([`--db.url=${db.url}`, '--query.timeout=3s']);
    const body = writeBody([series('up', { instance: 'a', job: 'node' }, [[t0, 1]])]);
    expect((await remoteWrite(adapter.url, body)).status).toBe(204);
  }, 60_000);

  afterAll(async () => {
    await adapter?.stop();
    await db?.drop();
    rmSync(canary, { force: true });
  });

  test('raw SQL runs as its own login role, reading the public relations', async () => {
    const name = new URL(db.url).pathname.slice(1);
    const who = await sql(adapter, 'SELECT session_user::text AS s, current_user::text AS c');
    expect(who).toEqual({ status: 200, error: undefined, values: [[`${name}_sql_reader`], [`${name}_sql_reader`]] });
    const read = await sql(
      adapter,
      "SELECT count(*) AS n FROM samples JOIN series_labels USING (series_id) WHERE labels->>'job' = 'node'",
    );
    expect(read.values).toEqual([[1]]);
    const status = await getJson(adapter.url, '/api/v1/status');
    expect(status.body.data.rawSql).toEqual({ enabled: true, role: `${name}_sql_reader` });
  });

  test('every way out of the role, to the owner, the server or its files, is a 400 that changes nothing', async () => {
    const before = await footprint(db.url);
    const attacks: [string, RegExp][] = [
      [
        "SELECT set_config('role', 'none', true), query_to_xml('select rolname, rolpassword from pg_authid', true, false, '')::text",
        /permission denied/,
      ],
      [`SELECT set_config('role', '${owner}', true)`, /permission denied to set role/],
      [`SELECT set_config('session_authorization', '${owner}', true)`, /permission denied|cannot set/],
      ['RESET ROLE', /syntax error/],
      [`SET SESSION AUTHORIZATION ${owner}`, /syntax error/],
      [`SELECT 1) q; SET SESSION AUTHORIZATION ${owner}; SELECT (1`, /syntax error|multiple commands/],
      ["SELECT pg_read_file('/etc/passwd')", /permission denied/],
      ["SELECT pg_read_file('postgresql.conf')", /permission denied/],
      ["SELECT pg_read_binary_file('/etc/hostname')", /permission denied/],
      ["SELECT pg_ls_dir('.')", /permission denied/],
      ["SELECT pg_stat_file('postgresql.conf')", /permission denied/],
      ['SELECT pg_reload_conf()', /permission denied/],
      ["SELECT lo_import('/etc/passwd')", /permission denied|read-only/],
      ["SELECT query_to_xml('select * from pg_authid', true, false, '')", /permission denied/],
      [
        "SELECT query_to_xml('alter system set work_mem = ''1GB''', true, false, '')",
        /non-volatile|read-only|permission denied/,
      ],
      [
        `SELECT query_to_xml('copy (select 1) to program ''touch ${canary}''', true, false, '')`,
        /non-volatile|permission denied|pg_execute_server_program/,
      ],
      [`COPY (SELECT 1) TO PROGRAM 'touch ${canary}'`, /syntax error/],
      [
        `SELECT * FROM dblink('dbname=${new URL(db.url).pathname.slice(1)} user=${owner}', 'select rolpassword from pg_authid') AS t(p text)`,
        /password|permission denied|superuser/,
      ],
      ["SELECT dblink_connect_u('x', 'dbname=postgres')", /permission denied/],
      [`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${owner}'`, TERMINATE_REFUSED],
      ['DELETE FROM samples', /syntax error/],
      ['WITH d AS (DELETE FROM samples RETURNING 1) SELECT * FROM d', /data-modifying|read-only|permission denied/],
      ["SELECT query_to_xml('delete from samples', true, false, '')", /non-volatile|read-only|permission denied/],
      [
        "SELECT query_to_xml('create temp table t (a int)', true, false, '')",
        /non-volatile|read-only|permission denied/,
      ],
      [
        "SELECT query_to_xml('create table public.t (a int)', true, false, '')",
        /non-volatile|read-only|permission denied/,
      ],
      ["SELECT nextval('series_id_seq')", /permission denied|read-only/],
      ["SELECT * FROM resolve_series(ARRAY[1], ARRAY['__name__'], ARRAY['x'], ARRAY['x'])", /permission denied/],
      ["SELECT set_config('transaction_read_only', 'off', true)", /read-write mode|permission denied/],
      ['SELECT * FROM sql_reader_secret', /permission denied/],
      ['SELECT * FROM schema_migrations', /permission denied/],
      ["SELECT set_config('statement_timeout', '0', true), pg_sleep(30)", /statement timeout/],
    ];
    for (const [text, reason] of attacks) {
      const result = await sql(adapter, text);
      expect({ text, status: result.status, error: result.error }).toEqual({
        text,
        status: 400,
        error: expect.stringMatching(reason),
      });
    }
    expect(await footprint(db.url)).toEqual(before);
    expect(existsSync(canary)).toBe(false);
    // The owner's sessions were not touched: ingest still works.
    expect((await remoteWrite(adapter.url, writeBody([series('up', { instance: 'b' }, [[t0, 1]])]))).status).toBe(204);
    await adapter.expectUnharmed();
  }, 120_000);
});

describe('an owner that may not create roles: raw SQL waits for a role made as the README says', () => {
  let db: TestDatabase;
  let ownerUrl: string;
  const name = `adapter_sqlo_${randomBytes(4).toString('hex')}`;
  const ownerRole = `${name}_owner`;
  const readerRole = `${name}_reader`;
  const password = randomBytes(12).toString('hex');

  beforeAll(async () => {
    await admin(async (c) => {
      await c.query(`CREATE ROLE ${ownerRole} LOGIN PASSWORD '${password}'`);
      await c.query(`CREATE DATABASE ${name} OWNER ${ownerRole}`);
    });
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    db = { url: url.toString(), drop: async () => {} };
    url.username = ownerRole;
    url.password = password;
    ownerUrl = url.toString();
  });

  afterAll(async () => {
    await admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS ${readerRole}`);
      await c.query(`DROP ROLE IF EXISTS ${ownerRole}`);
    });
  });

  test('without --db.sql-reader-url raw SQL is refused with 403 and says what to do; builder queries work', async () => {
    const adapter = await startAdapterBinary([`--db.url=${ownerUrl}`]);
    try {
      await eventuallyOutput(adapter, /raw SQL is disabled: the database user \S+ may not create roles/);
      const refused = await sql(adapter, 'SELECT 1 AS one');
      expect(refused).toMatchObject({ status: 403, error: expect.stringMatching(/--db.sql-reader-url/) });
      const status = await getJson(adapter.url, '/api/v1/status');
      expect(status.body.data.rawSql).toMatchObject({ enabled: false });
      // A non-superuser owner gets the same storage as a superuser would (a hypertable on TimescaleDB).
      expect(status.body.data.storage).toEqual(expectedStorage());
      const body = writeBody([series('up', { instance: 'a' }, [[t0, 1]])]);
      expect((await remoteWrite(adapter.url, body)).status).toBe(204);
      const { body: query } = await getJson(adapter.url, '/api/v1/ds/query', {
        method: 'POST',
        body: JSON.stringify({ from: t0, to: t0, queries: [{ refId: 'A', selector: 'up' }] }),
      });
      expect(query.results.A.frames).toHaveLength(1);
      await adapter.expectUnharmed();
    } finally {
      await adapter.stop();
    }
  }, 60_000);

  test('the README statements make a role it accepts; roles that could escape are refused at start', async () => {
    // README, "Raw SQL on your own PostgreSQL", run by an administrator after the adapter's first start.
    const readerPassword = randomBytes(12).toString('hex');
    await admin((c) => c.query(`CREATE ROLE ${readerRole} LOGIN NOINHERIT PASSWORD '${readerPassword}'`));
    await withClient(db.url, async (c) => {
      await c.query(`GRANT CONNECT ON DATABASE ${name} TO ${readerRole}`);
      await c.query(`GRANT USAGE ON SCHEMA public TO ${readerRole}`);
      await c.query(`GRANT SELECT ON label, series, samples, series_labels TO ${readerRole}`);
    });
    const readerUrl = new URL(db.url);
    readerUrl.username = readerRole;
    readerUrl.password = readerPassword;

    const adapter = await startAdapterBinary([`--db.url=${ownerUrl}`], {
      env: { ADAPTER_SQL_READER_URL: readerUrl.toString() },
    });
    try {
      const who = await sql(adapter, 'SELECT session_user::text AS s');
      expect(who.values).toEqual([[readerRole]]);
      expect((await sql(adapter, "SELECT set_config('role', 'none', true), pg_read_file('/etc/passwd')")).status).toBe(
        400,
      );
      expect((await sql(adapter, `SELECT set_config('role', '${ownerRole}', true)`)).status).toBe(400);
      await adapter.expectUnharmed();
    } finally {
      await adapter.stop();
    }

    // The owner itself, a superuser, and a role inside the owner's: each refused, saying why.
    const superUrl = process.env.TEST_DATABASE_URL!;
    await admin((c) => c.query(`GRANT ${ownerRole} TO ${readerRole}`));
    for (const [url, reason] of [
      [ownerUrl, /is the adapter's own database user/],
      [superUrl, /has SUPERUSER/],
      [readerUrl.toString(), new RegExp(`is a member of ${ownerRole}`)],
    ] as const) {
      const run = spawnSync(
        process.execPath,
        [
          BIN,
          `--db.url=${ownerUrl}`,
          `--db.sql-reader-url=${url}`,
          '--auth.disabled',
          '--web.listen-address=127.0.0.1:0',
        ],
        {
          encoding: 'utf8',
          timeout: 30_000,
          env: { PATH: process.env.PATH },
        },
      );
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 1, stderr: expect.stringMatching(reason) });
      expect(run.stderr).not.toMatch(/password=|:[0-9a-f]{24}@/);
    }
  }, 120_000);
});

test('an owner with CREATEROLE but no superuser gets its reader created, and raw SQL stays inside it', async () => {
  const name = `adapter_sqlc_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await admin(async (c) => {
    await c.query(`CREATE ROLE ${name}_owner LOGIN CREATEROLE PASSWORD '${password}'`);
    await c.query(`CREATE DATABASE ${name} OWNER ${name}_owner`);
  });
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  url.username = `${name}_owner`;
  url.password = password;
  const adapter = await startAdapterBinary([`--db.url=${url}`]);
  try {
    expect((await sql(adapter, 'SELECT session_user::text AS s')).values).toEqual([[`${name}_sql_reader`]]);
    for (const attack of [
      `SELECT set_config('role', '${name}_owner', true)`,
      "SELECT set_config('role', 'none', true), * FROM sql_reader_secret",
      "SELECT pg_read_file('/etc/passwd')",
    ]) {
      expect({ attack, status: (await sql(adapter, attack)).status }).toEqual({ attack, status: 400 });
    }
    await adapter.expectUnharmed();
  } finally {
    await adapter.stop();
    await admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS ${name}_sql_reader`);
      await c.query(`DROP ROLE IF EXISTS ${name}_owner`);
    });
  }
}, 60_000);

test('the embedded PostgreSQL (no --db.url) gets its reader role without any setup', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ts-sqlr-'));
  chmodSync(dir, 0o711); // as root, the embedded PostgreSQL runs as `postgres` and must pass through
  const adapter = await startAdapterBinary([`--data-dir=${join(dir, 'data')}`], { readyWithinMs: 90_000 });
  try {
    const who = await sql(adapter, 'SELECT session_user::text AS s');
    expect(who.values).toEqual([['metrics_sql_reader']]);
    expect(await sql(adapter, "SELECT set_config('role', 'none', true), pg_ls_dir('.')")).toMatchObject({
      status: 400,
      error: expect.stringMatching(/permission denied/),
    });
    await adapter.expectUnharmed();
  } finally {
    await adapter.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

async function eventuallyOutput(adapter: AdapterProcess, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 100 && !pattern.test(adapter.service.output()); i++) await new Promise((r) => setTimeout(r, 100));
  expect(adapter.service.output()).toMatch(pattern);
}
