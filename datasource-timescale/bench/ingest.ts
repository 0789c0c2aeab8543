// npm run bench:ingest — remote_write ingest with durable acknowledgement, side by side in one
// run with (a) the ceiling, binary COPY of the same rows straight into the same table, and (b)
// Debian's Prometheus as a remote_write receiver on the same payloads; then range-query latency
// over 24 h of 100 hosts at 15 s. Sizes: BENCH_HOSTS (1000) x BENCH_SERIES (500), BENCH_CONCURRENCY (4);
// BENCH_ADAPTER_ARGS adds flags to the adapter's command line. The database is an embedded
// PostgreSQL 17 started for the run, or, with --db.url=postgres://…, an empty one of your own
// (PostgreSQL or TimescaleDB: the adapter's migrations set it up; the bench's rows stay there).

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@nester/common/db/embedded';
import { createLogger } from '@nester/common/log/logger';
import { freePort } from '@nester/testing/services';
import { dayOfHistory, roundPayloads, type Fleet } from './fleet';
import { killAll, ready, start, startAdapter as startAdapterOn, stop, stopAll } from './processes';
import { fmt, median, percentile, rate, say } from './report';
import { copyAll, postAll } from './senders';

const fleet: Fleet = {
  hosts: Number(process.env.BENCH_HOSTS ?? 1000),
  seriesPerHost: Number(process.env.BENCH_SERIES ?? 500),
};
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
const TOKEN = 'bench-token-0123456789abcdef';
const log = createLogger({ name: 'bench', level: 'warn' });
const USAGE = 'usage: node dist/bench/ingest.js [--db.url=postgres://user:password@host/empty-database]';

/** --db.url=<url> or --db.url <url>; undefined: the embedded PostgreSQL. */
function dbUrlFlag(args: string[]): string | undefined {
  let url: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].split(/=(.*)/s);
    if (name !== '--db.url') throw new Error(`unknown argument ${JSON.stringify(args[i])}\n${USAGE}`);
    url = inline ?? args[++i];
    if (!url) throw new Error(`--db.url needs a value\n${USAGE}`);
  }
  return url;
}

/** Which PostgreSQL (and TimescaleDB) the run measures, with its durability settings. */
async function describeDatabase(pool: Pool, embedded: boolean): Promise<string> {
  const { rows } = await pool.query<{ version: string; tsdb: string | null; fsync: string; commit: string }>(
    `SELECT current_setting('server_version') AS version,
            (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS tsdb,
            current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS commit`,
  );
  const { version, tsdb, fsync, commit } = rows[0];
  const what = `PostgreSQL ${version.split(' ')[0]}${tsdb ? ` + TimescaleDB ${tsdb}` : ''}`;
  return `${what} (${embedded ? 'embedded' : '--db.url'}, fsync ${fsync}, synchronous_commit ${commit})`;
}

/** The bench writes rows at fixed offsets from now: a database holding samples could clash with them. */
async function requireNoSamples(dbUrl: string): Promise<void> {
  const pool = new Pool({ connectionString: dbUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ table: string | null }>("SELECT to_regclass('samples')::text AS table");
    if (rows[0].table && (await pool.query('SELECT 1 FROM samples LIMIT 1')).rowCount) {
      throw new Error('the database at --db.url already holds samples: give the bench an empty database');
    }
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const ownDbUrl = dbUrlFlag(process.argv.slice(2));
  if (ownDbUrl) await requireNoSamples(ownDbUrl);
  const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  chmodSync(dir, 0o711);
  const pg = ownDbUrl ? undefined : await startEmbeddedPostgres(join(dir, 'pg'), log);
  // One clean-up, however many paths ask for it (a signal, the run's end or failure), each
  // awaiting it: a failure exiting while a signal's clean-up ran left the directory behind.
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await stopAll();
      await pg?.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    })());
  // Interrupted (Ctrl-C, a closed pipe): still stop everything this run started.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGPIPE'] as const) {
    process.once(signal, () => void cleanup().then(() => process.exit(130)));
  }
  process.stdout.on('error', () => void cleanup().then(() => process.exit(1)));
  try {
    const dbUrl = ownDbUrl ?? (await createBenchDatabase(pg!));
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
    const adapterPort = await freePort();
    const promPort = await freePort();
    const startAdapter = () =>
      startAdapterOn({
        port: adapterPort,
        dbUrl,
        tokenFile: join(dir, 'token'),
        args: process.env.BENCH_ADAPTER_ARGS?.split(' ').filter(Boolean),
      });
    let adapter = startAdapter();
    writeFileSync(join(dir, 'prometheus.yml'), 'global: {scrape_interval: 1h}\n');
    start('/usr/bin/prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ]);
    const adapterUrl = `http://127.0.0.1:${adapterPort}`;
    const promUrl = `http://127.0.0.1:${promPort}`;
    await Promise.all([ready(`${adapterUrl}/-/ready`), ready(`${promUrl}/-/ready`)]);
    const pool = new Pool({ connectionString: dbUrl, max: concurrency });

    const perRound = fleet.hosts * fleet.seriesPerHost;
    say(
      `machine: ${cpus().length} x ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB; node ${process.version}; ${await describeDatabase(pool, !ownDbUrl)}`,
    );
    say(
      `fleet: ${fmt(fleet.hosts)} hosts x ${fleet.seriesPerHost} series = ${fmt(perRound)} series per 15 s round; ${concurrency} requests in flight`,
    );
    const t0 = Date.now() - 30 * 60_000;
    let round = 0;
    const payloads = (batch: number) => roundPayloads(fleet, t0 + round * 15_000, batch, round++);

    // First round: every series is new to both receivers.
    const first = payloads(2000);
    const coldAdapter = await postAll(`${adapterUrl}/api/v1/write`, first, concurrency, TOKEN);
    const coldProm = await postAll(`${promUrl}/api/v1/write`, first, concurrency);
    say(
      `first round (creating ${fmt(perRound)} series): adapter ${fmt(rate(perRound, coldAdapter))} samples/s, Prometheus ${fmt(rate(perRound, coldProm))} samples/s`,
    );

    const { rows } = await pool.query<{ id: string }>(
      "SELECT id FROM series WHERE metric_name LIKE 'fleet_%' ORDER BY id",
    );
    const ids = Float64Array.from(rows, (r) => Number(r.id));
    say('');
    say(
      '| batch (series/request) | adapter samples/s | COPY ceiling samples/s | Prometheus samples/s | adapter / COPY | adapter / Prometheus |',
    );
    say('|---|---|---|---|---|---|');
    for (const batch of [500, 2000]) {
      // Three alternating repetitions per receiver, each a fresh 15 s round; the median counts.
      const runs = { adapter: [] as number[], copy: [] as number[], prometheus: [] as number[] };
      for (let rep = 0; rep < 3; rep++) {
        const bodies = payloads(batch);
        runs.adapter.push(rate(perRound, await postAll(`${adapterUrl}/api/v1/write`, bodies, concurrency, TOKEN)));
        runs.prometheus.push(rate(perRound, await postAll(`${promUrl}/api/v1/write`, bodies, concurrency)));
        const time = t0 + round++ * 15_000;
        const copyBatches = [];
        for (let i = 0; i < ids.length; i += batch) copyBatches.push({ ids: ids.subarray(i, i + batch), time });
        runs.copy.push(rate(ids.length, await copyAll(pool, copyBatches, concurrency)));
      }
      const [a, c, p] = [median(runs.adapter), median(runs.copy), median(runs.prometheus)];
      say(
        `| ${batch} | ${fmt(a)} | ${fmt(c)} | ${fmt(p)} | ${((100 * a) / c).toFixed(0)}% | ${((100 * a) / p).toFixed(0)}% |`,
      );
    }

    // A restarted adapter knows every series from the database but has an empty cache.
    await stop(adapter);
    adapter = startAdapter();
    await ready(`${adapterUrl}/-/ready`);
    const afterRestart = await postAll(`${adapterUrl}/api/v1/write`, payloads(2000), concurrency, TOKEN);
    say('');
    say(
      `first round after an adapter restart (${fmt(perRound)} series stored, cache empty): ${fmt(rate(perRound, afterRestart))} samples/s`,
    );

    await queryLatency(adapterUrl);
    await pool.end();
  } finally {
    await cleanup();
  }
}

async function createBenchDatabase(pg: EmbeddedPostgres): Promise<string> {
  const { host, user, password } = pg.connection;
  const admin = new Pool({ ...pg.connection, max: 1 });
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  return `postgres://${user}:${encodeURIComponent(password)}@localhost/bench?host=${encodeURIComponent(host)}`;
}

async function queryLatency(adapterUrl: string): Promise<void> {
  const end = Math.floor(Date.now() / 60_000) * 60_000 - 60 * 60_000;
  const bodies = dayOfHistory(100, end);
  const loadSeconds = await postAll(`${adapterUrl}/api/v1/write`, bodies, concurrency, TOKEN);
  const samples = 100 * 2 * 5761;
  say('');
  say(
    `24 h x 100 hosts x 2 series at 15 s (${fmt(samples)} samples) backfilled at ${fmt(rate(samples, loadSeconds))} samples/s`,
  );
  say('');
  say('| range query over 24 h (step 60 s) | series in | points out | p50 ms | p99 ms |');
  say('|---|---|---|---|---|');
  const queries: [string, object][] = [
    ['history_load1{job="history"} (raw)', { selector: 'history_load1{job="history"}' }],
    ['rate(history_requests_total[5m])', { selector: 'history_requests_total', function: 'rate', range: '5m' }],
    [
      'sum(rate(history_requests_total[5m]))',
      { selector: 'history_requests_total', function: 'rate', range: '5m', aggregation: { op: 'sum' } },
    ],
    [
      'avg by (instance) (avg_over_time(history_load1[5m]))',
      {
        selector: 'history_load1',
        function: 'avg_over_time',
        range: '5m',
        aggregation: { op: 'avg', by: ['instance'] },
      },
    ],
  ];
  for (const [name, query] of queries) {
    const times: number[] = [];
    let points = 0;
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      const res = await fetch(`${adapterUrl}/api/v1/ds/query`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ from: end - 86_400_000, to: end, queries: [{ refId: 'A', step: 60_000, ...query }] }),
      });
      const body = (await res.json()) as {
        results: { A: { frames: { data: { values: unknown[][] } }[]; error?: string } };
      };
      if (res.status !== 200 || body.results.A.error) throw new Error(`query ${name} failed: ${JSON.stringify(body)}`);
      times.push(performance.now() - started);
      points = body.results.A.frames.reduce((n, f) => n + f.data.values[0].length, 0);
    }
    const pct = (p: number) => percentile(times, p).toFixed(0);
    say(`| \`${name}\` | 100 | ${fmt(points)} | ${pct(50)} | ${pct(99)} |`);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.stack}\n`);
  killAll();
  process.exit(1);
});
