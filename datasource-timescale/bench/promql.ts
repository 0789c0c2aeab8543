// npm run bench:promql — the adapter's PromQL next to Debian's Prometheus 2.42 on the same data,
// in one run on one machine:
//   1. 24 h of node_exporter-shaped series at 15 s for BENCH_HOSTS (40) hosts (26 series each: CPU
//      seconds by cpu and mode, memory, filesystems, network), remote_written in time order, the
//      same bodies, into Prometheus (--web.enable-remote-write-receiver) and one adapter per
//      backend: by default PostgreSQL 15 + TimescaleDB (its closed chunks then compressed by the
//      adapter's own compression policy, run once) and the same PostgreSQL 15 without it, both
//      clusters started here (testing/src/timescaledb.ts); --backend=embedded adds or picks the
//      adapter's embedded PostgreSQL 17, --db.url=postgres://… an empty database of your own;
//   2. Node Exporter Full style query_range calls over the 24 h (step 60 s), BENCH_QUERY_RUNS (5)
//      times each, interleaved between all targets: p50/p95 latency of each and of all, as ratios;
//   3. each process' peak RSS (VmHWM, reset after ingest) while the queries ran, and while one
//      query over every series (24 h x 1,040 series at 40 hosts) ran alone;
//   4. each adapter's remote_write latency (one new sample for every series a request) idle and
//      while that query runs: a query must not hold up ingest.

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { snappyCompress } from '@nester/common/prompb/snappy';
import type { TimeSeries } from '@nester/common/prompb/types';
import { encodeWriteRequest } from '@nester/common/prompb/write';
import { Pool } from 'pg';
import { freePort } from '@nester/testing/services';
import { startTimescaleCluster, type TimescaleCluster } from '@nester/testing/timescaledb';
import { ingestDuringQuery } from './ingest-during-query';
import { killAll, ready, start, startAdapter, stopAll } from './processes';
import { fmt, percentile, say } from './report';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 40);
const RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 5);
const TOKEN = 'bench-token-0123456789abcdef';
const STEP_MS = 15_000;
const DAY_MS = 86_400_000;
const WINDOW_MS = 30 * 60_000; // one remote_write request: every series' samples of 30 minutes
const CPUS = 2;
const MODES = ['idle', 'user', 'system', 'iowait', 'irq', 'softirq', 'steal', 'nice'];
const MOUNTS = ['/', '/var'];
const DEVICES = ['eth0', 'lo'];

interface Series {
  labels: TimeSeries['labels'];
  /** The value at sample k (counters grow, gauges wave). */
  value: (k: number) => number;
}

function hostSeries(h: number): Series[] {
  const instance = `host-${h}.example.net:9100`;
  const labels = (name: string, extra: Record<string, string> = {}) =>
    [
      { name: '__name__', value: name },
      ...Object.entries(extra).map(([n, v]) => ({ name: n, value: v })),
      { name: 'instance', value: instance },
      { name: 'job', value: 'node' },
    ].sort((a, b) => (a.name < b.name ? -1 : 1));
  const wave = (k: number, phase: number) => 1 + 0.5 * Math.sin(k / 240 + h + phase);
  const out: Series[] = [];
  for (let cpu = 0; cpu < CPUS; cpu++) {
    MODES.forEach((mode, m) => {
      const share = mode === 'idle' ? 0.7 : 0.3 / (MODES.length - 1);
      out.push({
        labels: labels('node_cpu_seconds_total', { cpu: String(cpu), mode }),
        // Seconds in hundredths, as node_exporter reports them: a running sum of 15 s shares.
        value: (k) => Math.round(k * 15 * share * 100 + 100 * (wave(k, m) - 1) * 10) / 100 + 1000 * h,
      });
    });
  }
  const total = 16e9 + h * 1e9;
  out.push({ labels: labels('node_memory_MemTotal_bytes'), value: () => total });
  out.push({ labels: labels('node_memory_MemAvailable_bytes'), value: (k) => Math.round(total * 0.3 * wave(k, 1)) });
  for (const mountpoint of MOUNTS) {
    const size = 100e9;
    out.push({ labels: labels('node_filesystem_size_bytes', { mountpoint, fstype: 'ext4' }), value: () => size });
    out.push({
      labels: labels('node_filesystem_avail_bytes', { mountpoint, fstype: 'ext4' }),
      value: (k) => Math.round(size * (0.6 - k / 1e5)),
    });
  }
  for (const device of DEVICES) {
    const perStep = device === 'lo' ? 1e5 : 5e6 + h * 1e4;
    out.push({
      labels: labels('node_network_receive_bytes_total', { device }),
      value: (k) => Math.round(k * perStep * wave(k, 2)),
    });
    out.push({
      labels: labels('node_network_transmit_bytes_total', { device }),
      value: (k) => Math.round(k * perStep * 0.4),
    });
  }
  return out;
}

/** Request bodies in time order (Prometheus appends only near its newest sample). */
function* bodies(series: Series[], start: number, end: number): Generator<Buffer> {
  for (let from = start; from <= end; from += WINDOW_MS) {
    const timeseries: TimeSeries[] = series.map((s) => {
      const samples: TimeSeries['samples'] = [];
      for (let t = from; t < from + WINDOW_MS && t <= end; t += STEP_MS) {
        samples.push({ value: s.value((t - start) / STEP_MS), timestamp: t });
      }
      return { labels: s.labels, samples };
    });
    yield snappyCompress(encodeWriteRequest({ timeseries }));
  }
}

async function write(url: string, body: Buffer, auth: boolean): Promise<void> {
  const res = await fetch(`${url}/api/v1/write`, {
    method: 'POST',
    headers: {
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      ...(auth ? { Authorization: `Bearer ${TOKEN}` } : {}),
    },
    body,
  });
  if (res.status !== 204) throw new Error(`${url}: remote_write answered ${res.status}: ${await res.text()}`);
}

const QUERIES: [string, string][] = [
  ['CPU by mode, one host', 'sum by (mode) (rate(node_cpu_seconds_total{instance="host-0.example.net:9100"}[5m]))'],
  ['CPU busy %, every host', '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])))'],
  ['top 5 hosts by CPU', 'topk(5, sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m])))'],
  ['memory used %, every host', '100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)'],
  [
    'root filesystem used %, every host',
    '100 - node_filesystem_avail_bytes{mountpoint="/",fstype!="rootfs"} * 100 / node_filesystem_size_bytes{mountpoint="/",fstype!="rootfs"}',
  ],
  [
    'network receive bits/s, every host',
    'sum by (instance) (rate(node_network_receive_bytes_total{device!="lo"}[5m])) * 8',
  ],
  ['network transmit, one host', 'rate(node_network_transmit_bytes_total{instance="host-0.example.net:9100"}[5m])'],
];

interface Timed {
  ms: number;
  series: number;
  points: number;
  /** With `stats` asked for: the adapter's parse + load (SQL) and evaluation time, s. */
  timings?: { queryPreparationTime: number; innerEvalTime: number };
}

async function queryRange(
  url: string,
  query: string,
  startMs: number,
  endMs: number,
  auth: boolean,
  stats = false,
): Promise<Timed> {
  const params = new URLSearchParams({ query, start: String(startMs / 1000), end: String(endMs / 1000), step: '60' });
  if (stats) params.set('stats', 'all');
  const began = performance.now();
  const res = await fetch(`${url}/api/v1/query_range?${params}`, {
    headers: auth ? { Authorization: `Bearer ${TOKEN}` } : {},
  });
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data?: { result: { values: unknown[] }[]; stats?: { timings: Timed['timings'] } };
  };
  const ms = performance.now() - began;
  if (body.status !== 'success') throw new Error(`${url}: ${query}: ${body.error}`);
  const result = body.data!.result;
  return {
    ms,
    series: result.length,
    points: result.reduce((n, s) => n + s.values.length, 0),
    timings: body.data!.stats?.timings,
  };
}

/** Peak resident set (VmHWM) of a process since its start or last reset, in MB. */
function peakRss(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Clears VmHWM (clear_refs 5), so the next peak is of what follows. */
function resetPeakRss(child: ChildProcess): void {
  writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
}

type Backend = 'timescaledb' | 'postgresql' | 'embedded' | { url: string };

const USAGE =
  'usage: node dist/bench/promql.js [--backend=timescaledb|postgresql|embedded]... [--db.url=postgres://…/empty-database]...';

/** --backend=<name> and --db.url=<url>, each repeatable; none: TimescaleDB and plain PostgreSQL 15. */
function backendFlags(args: string[]): Backend[] {
  const out: Backend[] = [];
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].split(/=(.*)/s);
    const value = inline ?? args[++i];
    if (!value) throw new Error(`${name} needs a value\n${USAGE}`);
    if (name === '--db.url') out.push({ url: value });
    else if (name === '--backend' && ['timescaledb', 'postgresql', 'embedded'].includes(value)) {
      out.push(value as Backend);
    } else throw new Error(`unknown argument ${JSON.stringify(args[i])}\n${USAGE}`);
  }
  return out.length ? out : ['timescaledb', 'postgresql'];
}

interface Target {
  name: string;
  url: string;
  child: ChildProcess;
  /** The adapter's database (none for Prometheus and the embedded PostgreSQL). */
  dbUrl?: string;
  auth: boolean;
}

/** A fresh database `name` on `cluster`, as a URL. */
async function databaseOn(cluster: TimescaleCluster, name: string): Promise<string> {
  const admin = new Pool({ connectionString: cluster.url, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  return url.toString();
}

async function describe(dbUrl: string): Promise<string> {
  const pool = new Pool({ connectionString: dbUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ version: string; tsdb: string | null; fsync: string; commit: string }>(
      `SELECT current_setting('server_version') AS version,
              (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS tsdb,
              current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS commit`,
    );
    const { version, tsdb, fsync, commit } = rows[0];
    return `PostgreSQL ${version.split(' ')[0]}${tsdb ? ` + TimescaleDB ${tsdb}` : ''} (fsync ${fsync}, synchronous_commit ${commit})`;
  } finally {
    await pool.end();
  }
}

/**
 * Runs the adapter's own compression policy once (the clusters run no background workers), as it
 * would have run by now: chunks older than one chunk interval + 1 h compressed, the rest not.
 */
async function compressAsThePolicyWould(dbUrl: string): Promise<string> {
  const pool = new Pool({ connectionString: dbUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ id: number }>(
      "SELECT job_id AS id FROM timescaledb_information.jobs WHERE proc_name = 'policy_compression' AND hypertable_name = 'samples'",
    );
    if (!rows.length) return 'no compression policy';
    await pool.query(`CALL run_job(${Number(rows[0].id)})`);
    await pool.query('VACUUM ANALYZE');
    const { rows: chunks } = await pool.query<{ compressed: string; total: string }>(
      `SELECT count(*) FILTER (WHERE is_compressed) AS compressed, count(*) AS total
         FROM timescaledb_information.chunks WHERE hypertable_name = 'samples'`,
    );
    return `${chunks[0].compressed} of ${chunks[0].total} chunks compressed by the adapter's compression policy`;
  } finally {
    await pool.end();
  }
}

async function adapterTargets(backends: Backend[], dir: string, tokenFile: string, clusters: TimescaleCluster[]) {
  const targets: Target[] = [];
  for (const backend of backends) {
    const port = await freePort();
    const args = ['--query.timeout=300s'];
    if (backend === 'embedded') {
      const child = start(process.execPath, [
        join(__dirname, '../../bin/timescale-adapter.js'),
        `--web.listen-address=127.0.0.1:${port}`,
        `--data-dir=${join(dir, 'adapter')}`,
        `--auth.write-token-file=${tokenFile}`,
        `--auth.read-token-file=${tokenFile}`,
        '--log.level=warn',
        ...args,
      ]);
      targets.push({ name: 'adapter (embedded PostgreSQL 17)', url: `http://127.0.0.1:${port}`, child, auth: true });
      continue;
    }
    let dbUrl: string;
    if (typeof backend === 'object') dbUrl = backend.url;
    else {
      const cluster = await startTimescaleCluster({ timescaledb: backend === 'timescaledb', durable: true });
      clusters.push(cluster);
      dbUrl = await databaseOn(cluster, 'bench');
    }
    const child = startAdapter({ port, dbUrl, tokenFile, args });
    const url = `http://127.0.0.1:${port}`;
    await ready(`${url}/-/ready`); // the adapter creates the TimescaleDB extension: describe after
    targets.push({ name: `adapter (${await describe(dbUrl)})`, url, child, dbUrl, auth: true });
  }
  return targets;
}

/**
 * A query over every series for the 24 h (1,040 series at 40 hosts), run alone for peak RSS.
 * last_over_time keeps the metric name: rate would leave series of different metrics with one labelset.
 */
const ALL_SERIES = 'sum by (instance) (last_over_time({job="node"}[5m]))';

async function main(): Promise<void> {
  const backends = backendFlags(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'bench-promql-'));
  chmodSync(dir, 0o711); // the embedded PostgreSQL runs as its own user and must reach its data dir
  const clusters: TimescaleCluster[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await stopAll();
      for (const cluster of clusters) await cluster.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().then(() => process.exit(130)));
  }
  try {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'prometheus.yml'), 'global: {scrape_interval: 15s}\n');
    const adapters = await adapterTargets(backends, dir, tokenFile, clusters);
    const promPort = await freePort();
    const prometheus: Target = {
      name: 'Prometheus 2.42',
      url: `http://127.0.0.1:${promPort}`,
      auth: false,
      child: start('prometheus', [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'prometheus')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--web.enable-remote-write-receiver',
        '--log.level=warn',
      ]),
    };
    const targets = [prometheus, ...adapters];
    await Promise.all(targets.map((t) => ready(`${t.url}/-/ready`)));

    const series = Array.from({ length: HOSTS }, (_, h) => hostSeries(h)).flat();
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    const start_ = end - DAY_MS;
    const samples = series.length * (DAY_MS / STEP_MS + 1);
    say(`## PromQL: the adapter next to Prometheus 2.42 (\`npm run bench:promql\`)\n`);
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    say(
      `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}; load average at the start ${load}.`,
    );
    say(
      `Data: 24 h at 15 s of ${HOSTS} hosts × ${series.length / HOSTS} series = **N = ${fmt(series.length)} series**, ${fmt(samples)} samples.\n`,
    );
    const ingestMs = targets.map(() => 0);
    for (const body of bodies(series, start_, end)) {
      for (const [i, t] of targets.entries()) {
        const began = performance.now();
        await write(t.url, body, t.auth);
        ingestMs[i] += performance.now() - began;
      }
    }
    say(
      `Ingest (remote_write, 30-minute requests in time order): ${targets.map((t, i) => `${t.name} ${fmt(Math.round(samples / (ingestMs[i] / 1000)))} samples/s`).join(', ')}.\n`,
    );
    for (const t of adapters) {
      if (t.dbUrl && t.name.includes('TimescaleDB')) say(`${t.name}: ${await compressAsThePolicyWould(t.dbUrl)}.\n`);
    }
    for (const t of targets) resetPeakRss(t.child);

    const times = new Map<string, number[][]>();
    const checks: string[] = [];
    for (const [name] of QUERIES)
      times.set(
        name,
        targets.map(() => []),
      );
    // One warm-up round each (the first read of cold pages), then the measured runs, interleaved
    // in a rotating order so no target always goes first.
    for (let run = -1; run < RUNS; run++) {
      for (const [name, query] of QUERIES) {
        const got: Timed[] = [];
        for (let k = 0; k < targets.length; k++) {
          const i = (k + Math.max(run, 0)) % targets.length;
          got[i] = await queryRange(targets[i].url, query, start_, end, targets[i].auth);
        }
        if (run < 0) {
          const [p, ...rest] = got;
          const differ = rest.filter((a) => a.series !== p.series || a.points !== p.points);
          checks.push(
            `${name}: ${p.series} series, ${fmt(p.points)} points${differ.length ? ` (some adapter DIFFERS: ${differ.map((a) => `${a.series}, ${a.points}`).join('; ')})` : ''}`,
          );
          continue;
        }
        got.forEach((g, i) => times.get(name)![i].push(g.ms));
      }
    }
    const during = targets.map((t) => peakRss(t.child));

    say(
      `Queries: \`query_range\` over the 24 h, step 60 s (1,441 points a series), ${RUNS} runs each after one warm-up, interleaved.\n`,
    );
    const names = adapters.map((_, i) => `A${i + 1}`);
    adapters.forEach((t, i) => say(`- ${names[i]}: ${t.name}`));
    say('');
    say(`| query | Prometheus p50 ms | ${names.map((n) => `${n} p50 ratio | ${n} p95 ratio`).join(' | ')} |`);
    say(`| --- | ---: | ${names.map(() => '---: | ---:').join(' | ')} |`);
    const all = targets.map(() => [] as number[]);
    const row = (name: string, ts: number[][]) => {
      const p50 = percentile(ts[0], 50);
      const p95 = percentile(ts[0], 95);
      const cells = ts
        .slice(1)
        .map((a) => `${(percentile(a, 50) / p50).toFixed(1)}× | ${(percentile(a, 95) / p95).toFixed(1)}×`);
      say(`| ${name} | ${p50.toFixed(0)} | ${cells.join(' | ')} |`);
    };
    for (const [name] of QUERIES) {
      const ts = times.get(name)!;
      ts.forEach((t, i) => all[i].push(...t));
      row(name, ts);
    }
    row('**all queries**', all);
    say(`\nAnswers (warm-up round): ${checks.join('; ')}.`);

    // Where an adapter's time goes: one more call each with Prometheus' `stats`.
    say('\nAdapter time split (one call with `stats=all`): loading (series lookup + COPY) / evaluation.\n');
    say(`| query | ${names.map((n) => `${n} load ms | ${n} eval ms`).join(' | ')} |`);
    say(`| --- | ${names.map(() => '---: | ---:').join(' | ')} |`);
    for (const [name, query] of QUERIES) {
      const cells: string[] = [];
      for (const t of adapters) {
        const { timings } = await queryRange(t.url, query, start_, end, t.auth, true);
        cells.push(
          `${Math.round(timings!.queryPreparationTime * 1000)} | ${Math.round(timings!.innerEvalTime * 1000)}`,
        );
      }
      say(`| ${name} | ${cells.join(' | ')} |`);
    }

    // Peak memory of one big query alone: every series for the 24 h.
    const alone: string[] = [];
    for (const t of targets) {
      resetPeakRss(t.child);
      const got = await queryRange(t.url, ALL_SERIES, start_, end, t.auth);
      alone.push(`${t.name} ${Math.round(peakRss(t.child))} MB (${(got.ms / 1000).toFixed(1)} s)`);
    }
    say(
      `\nPeak RSS (VmHWM; an adapter's PostgreSQL apart) while the queries above ran: ${targets.map((t, i) => `${t.name} ${Math.round(during[i])} MB`).join(', ')}.`,
    );
    say(
      `\nPeak RSS while \`${ALL_SERIES}\` (24 h × ${fmt(series.length)} series, ${fmt(samples)} samples) ran alone: ${alone.join(', ')}.`,
    );

    say('\nIngest while a heavy query runs: remote_write requests of one new sample for every series, back to back.\n');
    say('| adapter | idle p50 ms | idle max ms | during p50 ms | during max ms | writes during | query s |');
    say('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const t of adapters) {
      const r = await ingestDuringQuery({
        write: (k) => write(t.url, currentBody(series, end + 1 + k), t.auth),
        query: () => queryRange(t.url, ALL_SERIES, start_, end, t.auth),
        idleWrites: 30,
      });
      const cells = [r.idle, r.during].map((xs) => `${percentile(xs, 50).toFixed(0)} | ${Math.max(...xs).toFixed(0)}`);
      say(`| ${t.name} | ${cells.join(' | ')} | ${r.during.length} | ${(r.queryMs / 1000).toFixed(1)} |`);
    }
  } finally {
    await cleanup();
  }
}

/** One sample for every series at `time` (ms), as a scrape of every host would send. */
function currentBody(series: Series[], time: number): Buffer {
  const timeseries = series.map((s) => ({ labels: s.labels, samples: [{ value: s.value(0), timestamp: time }] }));
  return snappyCompress(encodeWriteRequest({ timeseries }));
}

main().catch((err) => {
  killAll();
  console.error(err);
  process.exit(1);
});
