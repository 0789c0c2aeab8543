// End to end with real peers: Debian's node_exporter scraped every second by Debian's
// Prometheus, which remote_writes into the adapter binary (embedded PostgreSQL; on the
// TimescaleDB run a database of that cluster with 1-minute chunks, and the times compared lie in
// closed chunks, compressed first); a second Prometheus reads the adapter back through
// remote_read. What the adapter stores and serves is compared with what Prometheus' own TSDB
// holds, and survives a kill -9 mid-stream.

import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { freePort, httpOk, startService, eventually, type Service } from '@nester/testing/services';
import {
  labelKey,
  NODE_EXPORTER_BIN,
  promQuery,
  startPrometheus,
  type RunningPrometheus,
} from '@nester/testing/prometheus';
import type { TestDatabase } from '@nester/testing/database';
import { ON_TIMESCALEDB } from './backend';
import { compressClosedChunks } from './compress';
import { createAdapterDatabase } from './harness';

const BIN = join(__dirname, '../bin/timescale-adapter.js');
const WRITE_TOKEN = 'e2e-write-token-0123456789';
const READ_TOKEN = 'e2e-read-token-0123456789';

let dir: string;
let adapterPort: number;
let adapter: Service | undefined;
let nodeExporter: Service;
let prom: RunningPrometheus;
let reader: RunningPrometheus;
let pool: Pool;
/** The TimescaleDB run's database (the plain run's is the adapter's embedded PostgreSQL). */
let db: TestDatabase | undefined;
/** The TimescaleDB run's chunks: the shortest --storage.chunk-interval allowed. */
const CHUNK_MS = 60_000;

function startAdapterProcess(): Service {
  if (!existsSync(join(__dirname, '../dist/src/cli.js'))) throw new Error('run `npm run build` first');
  return startService('node', process.execPath, [
    BIN,
    `--web.listen-address=127.0.0.1:${adapterPort}`,
    ...(db
      ? [`--db.url=${db.url}`, `--storage.chunk-interval=${CHUNK_MS / 1000}s`]
      : [`--data-dir=${join(dir, 'adapter')}`]),
    `--auth.write-token-file=${join(dir, 'write.token')}`,
    `--auth.read-token-file=${join(dir, 'read.token')}`,
    '--log.level=info',
  ]);
}

/** The adapter's database, to compare what it stored. */
function connect(): Pool {
  const connection = db
    ? new Pool({ connectionString: db.url, max: 2 })
    : new Pool({
        host: join(dir, 'adapter/postgres'),
        user: 'nester',
        password: readFileSync(join(dir, 'adapter/postgres.password'), 'utf8').trim(),
        database: 'metrics',
        max: 2,
      });
  connection.on('error', () => {}); // the kill -9 test restarts the embedded PostgreSQL under idle connections
  return connection;
}

beforeAll(async () => {
  if (ON_TIMESCALEDB) db = await createAdapterDatabase('adapter_e2e');
  dir = mkdtempSync(join(tmpdir(), 'ts-e2e-'));
  chmodSync(dir, 0o711); // as root, the embedded PostgreSQL runs as `postgres` and must pass through
  writeFileSync(join(dir, 'write.token'), `${WRITE_TOKEN}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'read.token'), `${READ_TOKEN}\n`, { mode: 0o600 });
  const [nePort, promPort, readerPort] = [await freePort(), await freePort(), await freePort()];
  adapterPort = await freePort();

  nodeExporter = startService('node_exporter', NODE_EXPORTER_BIN, [
    `--web.listen-address=127.0.0.1:${nePort}`,
    '--collector.disable-defaults',
    '--collector.cpu',
    '--collector.loadavg',
    '--collector.meminfo',
    '--collector.stat',
  ]);
  adapter = startAdapterProcess();
  await eventually(() => httpOk(`http://127.0.0.1:${adapterPort}/-/ready`), 'the adapter', 60_000).catch((err) => {
    throw new Error(`${err.message}\n${adapter?.output()}`);
  });
  pool = connect();

  prom = await startPrometheus(
    `global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: node
    static_configs: [{targets: ['127.0.0.1:${nePort}']}]
remote_write:
  - url: http://127.0.0.1:${adapterPort}/api/v1/write
    authorization: {credentials_file: ${join(dir, 'write.token')}}
    queue_config: {batch_send_deadline: 500ms, min_backoff: 50ms, max_backoff: 500ms}
    metadata_config: {send: false}
`,
    { dataDir: join(mkdir('prom'), 'tsdb'), port: promPort },
  );
  reader = await startPrometheus(
    `remote_read:
  - url: http://127.0.0.1:${adapterPort}/api/v1/read
    read_recent: true
    authorization: {credentials_file: ${join(dir, 'read.token')}}
`,
    { dataDir: join(mkdir('reader'), 'tsdb'), port: readerPort },
  );
}, 120_000);

afterAll(async () => {
  await Promise.all([prom?.stop(), reader?.stop(), nodeExporter?.stop(), adapter?.stop()]);
  await pool?.end();
  stopLeftoverPostgres();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

function mkdir(name: string): string {
  const path = join(dir, name);
  mkdirSync(path);
  return path;
}

function stopLeftoverPostgres(): void {
  const pidFile = join(dir, 'adapter/postgres/postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    // already gone
  }
}

/** The raw samples Prometheus' TSDB holds for job="node" in [end - seconds, end]. */
async function prometheusSamples(
  instance: RunningPrometheus,
  end: number,
  seconds: number,
): Promise<Map<string, string>> {
  const result = await promQuery(instance.url, '/api/v1/query', {
    query: `{job="node"}[${seconds}s]`,
    time: String(end / 1000),
  });
  const samples = new Map<string, string>();
  for (const s of result)
    for (const [t, v] of s.values) samples.set(`${labelKey(s.metric)} ${Math.round(t * 1000)}`, v);
  return samples;
}

/** The same from the adapter's tables (stale markers left out, as Prometheus' range selectors do). */
async function adapterSamples(end: number, seconds: number): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ labels: Record<string, string>; t: string; v: number }>(
    `SELECT l.labels, (extract(epoch FROM x.time) * 1000)::bigint AS t, x.value AS v
       FROM samples x JOIN series_labels l ON l.series_id = x.series_id
      WHERE l.labels->>'job' = 'node' AND NOT is_stale_marker(x.value)
        AND x.time BETWEEN to_timestamp($1::float8 / 1000) AND to_timestamp($2::float8 / 1000)`,
    [end - seconds * 1000, end],
  );
  const samples = new Map<string, string>();
  for (const row of rows) samples.set(`${labelKey(row.labels)} ${row.t}`, String(row.v));
  return samples;
}

/**
 * Why the adapter may lag Prometheus, for a failure message: the adapter's log, what it stored,
 * and Prometheus' own remote_write counters (sent, failed, retried, dropped, pending).
 */
async function writePathReport(): Promise<string> {
  const stored = await pool
    .query<{ n: string; newest: string | null }>('SELECT count(*) AS n, max(time)::text AS newest FROM samples')
    .then(({ rows }) => `${rows[0].n} samples stored, newest ${rows[0].newest}`)
    .catch((err: Error) => `samples unreadable: ${err.message}`);
  const counters = await fetch(`${prom.url}/metrics`)
    .then((res) => res.text())
    .then((text) =>
      text
        .split('\n')
        .filter((line) => /^prometheus_remote_storage_(samples|exemplars)_\w+(_total)?\{/.test(line))
        .join('\n'),
    )
    .catch((err: Error) => `Prometheus' metrics unreadable: ${err.message}`);
  return `${stored}\nPrometheus remote_write:\n${counters}\nadapter log (last 4 KB):\n${adapter?.output().slice(-4096)}`;
}

/** `eventually`, failing with the write path's state. */
async function eventuallyStored<T>(check: () => Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  return eventually(check, what, timeoutMs).catch(async (err: Error) => {
    throw new Error(`${err.message}\n${await writePathReport()}`);
  });
}

function sameSamples(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) === undefined || Number(b.get(key)) !== Number(value)) return false;
  return true;
}

test('after several scrapes the adapter holds exactly the samples Prometheus holds', async () => {
  // Prometheus applies scrape targets on a 5 s tick; wait for six scrapes of node_exporter.
  await eventually(async () => {
    const r = await promQuery(prom.url, '/api/v1/query', { query: 'count_over_time(up{job="node"}[1m]) >= 6' });
    return r.length ? true : undefined;
  }, 'six scrapes');
  const end = Math.floor(Date.now() / 1000) * 1000 - 2000;
  const expected = await prometheusSamples(prom, end, 4);
  expect(expected.size).toBeGreaterThan(100);
  const stored = await eventuallyStored(
    async () => {
      const got = await adapterSamples(end, 4);
      return sameSamples(expected, got) ? got : undefined;
    },
    'the adapter to catch up',
    20_000,
  );
  expect(stored.size).toBe(expected.size);
}, 60_000);

/**
 * Where the compared windows end (ms), holding `seconds` of samples before it: on plain
 * PostgreSQL 3 s ago; on TimescaleDB just before the newest chunk boundary with that much data
 * before it, once that chunk is closed (waiting for it: at most a chunk's span) and compressed.
 */
async function comparedEnd(seconds: number): Promise<number> {
  if (!db) return Math.floor(Date.now() / 1000) * 1000 - 3000;
  const { rows } = await pool.query<{ first: string }>(
    `SELECT (extract(epoch FROM min(time)) * 1000)::int8 AS first FROM samples`,
  );
  const boundary = Math.ceil((Number(rows[0].first) + seconds * 1000) / CHUNK_MS) * CHUNK_MS;
  // Two seconds past the boundary: Prometheus has sent the chunk's last samples by then.
  await new Promise((r) => setTimeout(r, Math.max(0, boundary + 2000 - Date.now())));
  await compressClosedChunks(pool).catch(async (err: Error) => {
    throw new Error(`${err.message}\n${await writePathReport()}`);
  });
  return boundary - 1000;
}

test('Prometheus reading the adapter through remote_read gets what its own TSDB has', async () => {
  const end = await comparedEnd(12);
  const expected = await prometheusSamples(prom, end, 5);
  const viaRemoteRead = await eventually(
    async () => {
      const got = await prometheusSamples(reader, end, 5);
      return sameSamples(expected, got) ? got : undefined;
    },
    'remote_read to match',
    20_000,
  );
  expect(viaRemoteRead.size).toBe(expected.size);
  // Matchers of every kind go through remote_read the same way.
  for (const selector of [
    'node_cpu_seconds_total{mode=~"idle|user"}',
    'node_cpu_seconds_total{mode!~"i.*",cpu!="0"}',
    '{__name__=~"node_load(1|5)",job="node"}',
  ]) {
    const params = { query: `${selector}[5s]`, time: String(end / 1000) };
    const [own, remote] = await Promise.all([
      promQuery(prom.url, '/api/v1/query', params),
      promQuery(reader.url, '/api/v1/query', params),
    ]);
    expect(own.length).toBeGreaterThan(0);
    const sort = (r: typeof own) => r.map((s) => labelKey(s.metric) + JSON.stringify(s.values)).sort();
    expect(sort(remote)).toEqual(sort(own));
  }
}, 120_000);

test('rate, increase and the other range functions equal Prometheus’ query API on the same data', async () => {
  const end = (await comparedEnd(12)) / 1000;
  const start = end - 6;
  await eventuallyStored(
    async () => {
      const want = await prometheusSamples(prom, end * 1000, 12);
      return sameSamples(want, await adapterSamples(end * 1000, 12)) ? true : undefined;
    },
    'the adapter to hold the range',
    20_000,
  );
  // `tolerance`: the largest relative difference allowed; 0 is bit for bit.
  const cases: { promql: string; query: Record<string, unknown>; tolerance: number }[] = [];
  for (const fn of [
    'rate',
    'increase',
    'irate',
    'delta',
    'avg_over_time',
    'sum_over_time',
    'min_over_time',
    'max_over_time',
    'count_over_time',
  ]) {
    cases.push({
      promql: `${fn}(node_cpu_seconds_total[4s])`,
      query: { selector: 'node_cpu_seconds_total', function: fn, range: '4s' },
      // The builder runs on the PromQL engine: Prometheus' own operations (Kahan–Neumaier sums
      // for sum_over_time and avg_over_time included), so every function is bit for bit.
      tolerance: 0,
    });
  }
  cases.push({ promql: 'node_load1', query: { selector: 'node_load1' }, tolerance: 0 });
  cases.push({
    promql: 'rate(node_context_switches_total[3s])',
    query: { selector: 'node_context_switches_total', function: 'rate', range: '3s' },
    tolerance: 0,
  });
  for (const op of ['sum', 'avg', 'min', 'max', 'count']) {
    cases.push({
      promql: `${op} by (mode) (rate(node_cpu_seconds_total[4s]))`,
      query: { selector: 'node_cpu_seconds_total', function: 'rate', range: '4s', aggregation: { op, by: ['mode'] } },
      tolerance: op === 'sum' || op === 'avg' ? 1e-12 : 0, // float sums depend on the order series are added in
    });
  }
  cases.push({
    promql: 'sum without (cpu) (node_cpu_seconds_total)',
    query: { selector: 'node_cpu_seconds_total', aggregation: { op: 'sum', without: ['cpu'] } },
    tolerance: 1e-12,
  });
  for (const c of cases) {
    const expected = await promQuery(prom.url, '/api/v1/query_range', {
      query: c.promql,
      start: String(start),
      end: String(end),
      step: '1',
    });
    const res = await fetch(`http://127.0.0.1:${adapterPort}/api/v1/ds/query`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${READ_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: start * 1000, to: end * 1000, queries: [{ refId: 'A', step: 1000, ...c.query }] }),
    });
    expect({ promql: c.promql, n: expected.length > 0 }).toEqual({ promql: c.promql, n: true });
    expect(res.status).toBe(200);
    const frames = ((await res.json()) as { results: { A: { frames: Frame[] } } }).results.A.frames;
    const got = new Map(frames.map((f) => [labelKey(frameLabels(f)), f]));
    expect({ promql: c.promql, series: [...got.keys()].sort() }).toEqual({
      promql: c.promql,
      series: expected.map((s) => labelKey(withoutName(s.metric))).sort(),
    });
    for (const s of expected) {
      const frame = got.get(labelKey(withoutName(s.metric)))!;
      expect(frame.data.values[0]).toEqual(s.values.map(([t]) => Math.round(t * 1000)));
      const values = frame.data.values[1] as number[];
      s.values.forEach(([, v], i) => {
        if (!c.tolerance) expect({ promql: c.promql, v: values[i] }).toEqual({ promql: c.promql, v: Number(v) });
        else expect(Math.abs(values[i] - Number(v))).toBeLessThanOrEqual(Math.abs(Number(v)) * c.tolerance);
      });
    }
  }
}, 120_000);

interface Frame {
  schema: { fields: { labels?: Record<string, string> }[] };
  data: { values: unknown[][] };
}
function frameLabels(frame: Frame): Record<string, string> {
  return frame.schema.fields[1].labels ?? {};
}
function withoutName(metric: Record<string, string>): Record<string, string> {
  const rest = { ...metric };
  delete rest.__name__;
  return rest;
}

test('kill -9 while Prometheus sends: nothing acknowledged is lost, and after retries storage equals Prometheus', async () => {
  const before = Date.now();
  await new Promise((r) => setTimeout(r, 1500));
  const acknowledged = await pool.query<{ n: string }>('SELECT count(*) AS n FROM samples');
  await adapter!.stop('SIGKILL');
  await pool.end();
  await new Promise((r) => setTimeout(r, 3000)); // Prometheus keeps scraping and retrying meanwhile
  adapter = startAdapterProcess();
  await eventually(() => httpOk(`http://127.0.0.1:${adapterPort}/-/ready`), 'the adapter after kill -9', 60_000);
  if (!db) expect(adapter.output()).toMatch(/stopping a PostgreSQL left running by an earlier crash/);
  pool = connect();
  const after = await pool.query<{ n: string }>('SELECT count(*) AS n FROM samples');
  expect(Number(after.rows[0].n)).toBeGreaterThanOrEqual(Number(acknowledged.rows[0].n));

  // A window that spans the outage: once Prometheus' retries land, it is identical.
  await new Promise((r) => setTimeout(r, 2000));
  const end = Math.floor(Date.now() / 1000) * 1000 - 1000;
  const seconds = Math.ceil((end - before) / 1000) + 2;
  const expected = await prometheusSamples(prom, end, seconds);
  await eventuallyStored(
    async () => {
      return sameSamples(expected, await adapterSamples(end, seconds)) ? true : undefined;
    },
    'storage to equal Prometheus after the crash',
    30_000,
  );
}, 120_000);
