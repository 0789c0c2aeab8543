// npm run bench:timescaledb — the adapter on PostgreSQL 15 with TimescaleDB next to the same
// PostgreSQL 15 without it, in one run on one machine, both clusters started here
// (testing/src/timescaledb.ts) with the same settings, fsync and synchronous_commit on:
//   1. remote_write ingest: BENCH_HOSTS (200) x BENCH_SERIES (500) series per 15 s round,
//      BENCH_CONCURRENCY (4) requests in flight, rounds alternating between the two;
//   2. 24 h of 100 hosts x 4 series at 15 s, backfilled into three databases (PostgreSQL,
//      TimescaleDB, TimescaleDB then compressed): bytes per sample of each;
//   3. the range-query set over those 24 h on the three, interleaved, BENCH_QUERY_RUNS (10)
//      times each, and whether the three answer identically.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startTimescaleCluster, type TimescaleCluster } from '@nester/testing/timescaledb';
import { freePort } from '@nester/testing/services';
import { dayOfCpu, dayOfHistory, roundPayloads, type Fleet } from './fleet';
import { killAll, ready, startAdapter, stop, stopAll } from './processes';
import { fmt, median, rate, say } from './report';
import { postAll } from './senders';

const fleet: Fleet = {
  hosts: Number(process.env.BENCH_HOSTS ?? 200),
  seriesPerHost: Number(process.env.BENCH_SERIES ?? 500),
};
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
const queryRuns = Number(process.env.BENCH_QUERY_RUNS ?? 10);
const TOKEN = 'bench-token-0123456789abcdef';
const HOSTS = 100;
const MODES = ['idle', 'user'];
const SAMPLES_PER_SERIES = 5761; // 24 h at 15 s, both ends included
const CHUNK_MS = 8 * 3_600_000; // the adapter's default --storage.chunk-interval

interface Target {
  name: string;
  url: string;
  pool: Pool;
}

/** A database `name` on `cluster`, and the adapter serving it. */
async function adapterOn(cluster: TimescaleCluster, name: string, tokenFile: string) {
  const admin = new Pool({ connectionString: cluster.url, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  const port = await freePort();
  // A generous timeout: the same statement read whole compressed chunks per series before.
  const adapter = startAdapter({ port, dbUrl: url.toString(), tokenFile, args: ['--query.timeout=300s'] });
  await ready(`http://127.0.0.1:${port}/-/ready`);
  return { url: `http://127.0.0.1:${port}`, pool: new Pool({ connectionString: url.toString(), max: 2 }), adapter };
}

async function versions(plain: Pool, timescale: Pool): Promise<string> {
  const version = async (pool: Pool) =>
    (await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v.split(' ')[0];
  const { rows } = await timescale.query<{ v: string; fsync: string; commit: string }>(
    `SELECT extversion AS v, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS commit
       FROM pg_extension WHERE extname = 'timescaledb'`,
  );
  return `PostgreSQL ${await version(plain)} and PostgreSQL ${await version(timescale)} + TimescaleDB ${rows[0].v} (fsync ${rows[0].fsync}, synchronous_commit ${rows[0].commit})`;
}

async function ingest(targets: Target[]): Promise<void> {
  const perRound = fleet.hosts * fleet.seriesPerHost;
  say(
    `\n**Ingest**: ${fmt(fleet.hosts)} hosts x ${fleet.seriesPerHost} series = ${fmt(perRound)} series per 15 s round, ${concurrency} requests in flight; medians of 3 rounds alternating between the two\n`,
  );
  const t0 = Date.now() - 30 * 60_000;
  let round = 0;
  const payloads = (batch: number) => roundPayloads(fleet, t0 + round * 15_000, batch, round++);
  const first = payloads(2000);
  const created = [];
  for (const target of targets)
    created.push(rate(perRound, await postAll(`${target.url}/api/v1/write`, first, concurrency, TOKEN)));
  say(
    `| batch (series/request) | ${targets.map((t) => `${t.name} samples/s`).join(' | ')} | TimescaleDB / PostgreSQL |`,
  );
  say(`|---|${targets.map(() => '---|').join('')}---|`);
  say(
    `| first round (creating ${fmt(perRound)} series), 2000 | ${created.map(fmt).join(' | ')} | ${(created[1] / created[0]).toFixed(2)}× |`,
  );
  for (const batch of [500, 2000]) {
    const runs = targets.map(() => [] as number[]);
    for (let rep = 0; rep < 3; rep++) {
      const bodies = payloads(batch);
      for (const [i, target] of targets.entries()) {
        runs[i].push(rate(perRound, await postAll(`${target.url}/api/v1/write`, bodies, concurrency, TOKEN)));
      }
    }
    const medians = runs.map(median);
    say(`| ${batch} | ${medians.map(fmt).join(' | ')} | ${(medians[1] / medians[0]).toFixed(2)}× |`);
  }
}

/** Bytes the samples take on disk (heap, indexes, TOAST; compressed chunks included). */
async function storageBytes(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ timescaledb: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS timescaledb",
  );
  const { rows: size } = await pool.query<{ bytes: string }>(
    rows[0].timescaledb
      ? "SELECT total_bytes AS bytes FROM hypertable_detailed_size('samples')"
      : "SELECT sum(pg_total_relation_size(relid)) AS bytes FROM pg_partition_tree('samples') WHERE isleaf",
  );
  return Number(size[0].bytes);
}

async function history(targets: Target[], end: number): Promise<void> {
  const bodies = [...dayOfHistory(HOSTS, end), ...dayOfCpu(HOSTS, end, MODES)];
  const samples = HOSTS * (2 + MODES.length) * SAMPLES_PER_SERIES;
  const loads = [];
  for (const target of targets)
    loads.push(rate(samples, await postAll(`${target.url}/api/v1/write`, bodies, concurrency, TOKEN)));
  say(
    `\n**Storage**: 24 h x ${HOSTS} hosts x ${2 + MODES.length} series at 15 s (${fmt(samples)} samples), backfilled through remote_write at ${loads.map((l, i) => `${fmt(l)} samples/s (${targets[i].name})`).join(', ')}; after VACUUM ANALYZE\n`,
  );
  for (const target of targets) await target.pool.query('VACUUM ANALYZE');
  const [plain, uncompressed, compressed] = targets;
  const started = performance.now();
  const { rows } = await compressed.pool.query<{ chunk: string }>(
    "SELECT compress_chunk(c) AS chunk FROM show_chunks('samples', older_than => now()) AS c",
  );
  const compressSeconds = (performance.now() - started) / 1000;
  await compressed.pool.query('VACUUM ANALYZE');
  const stats = await compressed.pool.query<{ before: string; after: string; chunks: string }>(
    `SELECT sum(before_compression_total_bytes) AS before, sum(after_compression_total_bytes) AS after,
            count(*) FILTER (WHERE compression_status = 'Compressed') AS chunks
       FROM chunk_compression_stats('samples')`,
  );
  const bytes = [
    await storageBytes(plain.pool),
    await storageBytes(uncompressed.pool),
    await storageBytes(compressed.pool),
  ];
  say('| storage | bytes | bytes per sample | vs PostgreSQL |');
  say('|---|---|---|---|');
  targets.forEach((t, i) =>
    say(`| ${t.name} | ${fmt(bytes[i])} | ${(bytes[i] / samples).toFixed(1)} | ${(bytes[i] / bytes[0]).toFixed(3)}× |`),
  );
  const { before, after, chunks } = stats.rows[0];
  say(
    `\ncompress_chunk on ${rows.length} chunks: ${compressSeconds.toFixed(1)} s (${fmt(rate(samples, compressSeconds))} samples/s); chunk_compression_stats: ${chunks} chunks compressed, ${fmt(Number(before))} bytes before, ${fmt(Number(after))} after (${(Number(before) / Number(after)).toFixed(1)}×)`,
  );
}

const QUERIES: [string, number, object][] = [
  ['history_load1 (raw, 5 min lookback)', HOSTS, { selector: 'history_load1' }],
  ['rate(history_requests_total[5m])', HOSTS, { selector: 'history_requests_total', function: 'rate', range: '5m' }],
  [
    'sum by (instance) (increase(history_requests_total[5m]))',
    HOSTS,
    {
      selector: 'history_requests_total',
      function: 'increase',
      range: '5m',
      aggregation: { op: 'sum', by: ['instance'] },
    },
  ],
  [
    'sum by (mode) (rate(history_cpu_seconds_total[5m]))',
    HOSTS * MODES.length,
    {
      selector: 'history_cpu_seconds_total',
      function: 'rate',
      range: '5m',
      aggregation: { op: 'sum', by: ['mode'] },
    },
  ],
  ['avg_over_time(history_load1[5m])', HOSTS, { selector: 'history_load1', function: 'avg_over_time', range: '5m' }],
  ['max_over_time(history_load1[1h])', HOSTS, { selector: 'history_load1', function: 'max_over_time', range: '1h' }],
];

async function timedQuery(target: Target, query: object, end: number): Promise<{ ms: number; text: string }> {
  const started = performance.now();
  const res = await fetch(`${target.url}/api/v1/ds/query`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ from: end - 86_400_000, to: end, queries: [{ refId: 'A', step: 60_000, ...query }] }),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200 || (JSON.parse(text) as { results: { A: { error?: string } } }).results.A.error) {
    throw new Error(`${target.name}: ${text.slice(0, 500)}`);
  }
  return { ms, text };
}

async function rangeQueries(targets: Target[], end: number): Promise<void> {
  say(
    `\n**Range queries** over the 24 h, step 60 s, through POST /api/v1/ds/query (timed at the client, JSON included); median of ${queryRuns} runs, the three targets interleaved\n`,
  );
  say(
    `| query | series | ${targets.map((t) => `${t.name} ms`).join(' | ')} | compressed / uncompressed | compressed / PostgreSQL | answers identical |`,
  );
  say(`|---|---|${targets.map(() => '---|').join('')}---|---|---|`);
  for (const [name, series, query] of QUERIES) {
    const times = targets.map(() => [] as number[]);
    const answers = new Set<string>();
    for (let run = 0; run < queryRuns; run++) {
      for (const [i, target] of targets.entries()) {
        const { ms, text } = await timedQuery(target, query, end);
        times[i].push(ms);
        if (run === 0) answers.add(text);
      }
    }
    const [plain, uncompressed, compressed] = times.map(median);
    say(
      `| \`${name}\` | ${series} | ${[plain, uncompressed, compressed].map((ms) => fmt(Math.round(ms))).join(' | ')} | ${(compressed / uncompressed).toFixed(2)}× | ${(compressed / plain).toFixed(2)}× | ${answers.size === 1 ? 'yes' : 'NO'} |`,
    );
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-timescaledb-'));
  const clusters: TimescaleCluster[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await stopAll();
      for (const cluster of clusters) await cluster.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGPIPE'] as const) {
    process.once(signal, () => void cleanup().then(() => process.exit(130)));
  }
  process.stdout.on('error', () => void cleanup().then(() => process.exit(1)));
  const pools: Pool[] = [];
  try {
    const plainCluster = await startTimescaleCluster({ timescaledb: false, durable: true });
    clusters.push(plainCluster);
    const timescaleCluster = await startTimescaleCluster({ durable: true });
    clusters.push(timescaleCluster);
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });

    const plainIngest = await adapterOn(plainCluster, 'ingest', tokenFile);
    const timescaleIngest = await adapterOn(timescaleCluster, 'ingest', tokenFile);
    pools.push(plainIngest.pool, timescaleIngest.pool);
    say(
      `machine: ${cpus().length} x ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Debian ${readFileSync('/etc/debian_version', 'utf8').trim()}; node ${process.version}; ${await versions(plainIngest.pool, timescaleIngest.pool)}`,
    );
    await ingest([
      { name: 'PostgreSQL', ...plainIngest },
      { name: 'TimescaleDB', ...timescaleIngest },
    ]);
    await Promise.all([stop(plainIngest.adapter), stop(timescaleIngest.adapter)]);

    // The 24 h end a minute before a chunk boundary: every chunk holding them is closed.
    const end = Math.floor(Date.now() / CHUNK_MS) * CHUNK_MS - 60_000;
    const targets: Target[] = [
      { name: 'PostgreSQL', ...(await adapterOn(plainCluster, 'history', tokenFile)) },
      { name: 'TimescaleDB uncompressed', ...(await adapterOn(timescaleCluster, 'history', tokenFile)) },
      { name: 'TimescaleDB compressed', ...(await adapterOn(timescaleCluster, 'history_compressed', tokenFile)) },
    ];
    pools.push(...targets.map((t) => t.pool));
    await history(targets, end);
    await rangeQueries(targets, end);
  } finally {
    await Promise.all(pools.map((pool) => pool.end()));
    await cleanup();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack}\n`);
  killAll();
  process.exit(1);
});
