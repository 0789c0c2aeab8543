// npm run bench:promql — the adapter's PromQL next to Debian's Prometheus 2.42 on the same data,
// in one run on one machine:
//   1. 24 h of node_exporter-shaped series at 15 s for BENCH_HOSTS (40) hosts (26 series each: CPU
//      seconds by cpu and mode, memory, filesystems, network), remote_written in time order, the
//      same bodies, into Prometheus (--web.enable-remote-write-receiver) and the adapter (its
//      embedded PostgreSQL 17);
//   2. Node Exporter Full style query_range calls over the 24 h (step 60 s), BENCH_QUERY_RUNS (7)
//      times each, interleaved between the two: p50/p95 latency of each and of all, as ratios;
//   3. the adapter's peak RSS while the queries ran (VmHWM, reset after ingest) and Prometheus'.

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { snappyCompress } from '@nester/common/prompb/snappy';
import type { TimeSeries } from '@nester/common/prompb/types';
import { encodeWriteRequest } from '@nester/common/prompb/write';
import { freePort } from '@nester/testing/services';
import { killAll, ready, start, stopAll } from './processes';
import { fmt, percentile, say } from './report';

const HOSTS = Number(process.env.BENCH_HOSTS ?? 40);
const RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 7);
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
}

async function queryRange(url: string, query: string, startMs: number, endMs: number, auth: boolean): Promise<Timed> {
  const params = new URLSearchParams({ query, start: String(startMs / 1000), end: String(endMs / 1000), step: '60' });
  const began = performance.now();
  const res = await fetch(`${url}/api/v1/query_range?${params}`, {
    headers: auth ? { Authorization: `Bearer ${TOKEN}` } : {},
  });
  const body = (await res.json()) as { status: string; error?: string; data?: { result: { values: unknown[] }[] } };
  const ms = performance.now() - began;
  if (body.status !== 'success') throw new Error(`${url}: ${query}: ${body.error}`);
  const result = body.data!.result;
  return { ms, series: result.length, points: result.reduce((n, s) => n + s.values.length, 0) };
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

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-promql-'));
  chmodSync(dir, 0o711); // the embedded PostgreSQL runs as its own user and must reach its data dir
  try {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'prometheus.yml'), 'global: {scrape_interval: 15s}\n');
    const [adapterPort, promPort] = [await freePort(), await freePort()];
    const adapter = start(process.execPath, [
      join(__dirname, '../../bin/timescale-adapter.js'),
      `--web.listen-address=127.0.0.1:${adapterPort}`,
      `--data-dir=${join(dir, 'adapter')}`,
      `--auth.write-token-file=${tokenFile}`,
      `--auth.read-token-file=${tokenFile}`,
      '--query.timeout=300s',
      '--log.level=warn',
    ]);
    const prometheus = start('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'prometheus')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ]);
    const adapterUrl = `http://127.0.0.1:${adapterPort}`;
    const promUrl = `http://127.0.0.1:${promPort}`;
    await Promise.all([ready(`${adapterUrl}/-/ready`), ready(`${promUrl}/-/ready`)]);

    const series = Array.from({ length: HOSTS }, (_, h) => hostSeries(h)).flat();
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    const start_ = end - DAY_MS;
    const samples = series.length * (DAY_MS / STEP_MS + 1);
    say(`## PromQL: the adapter next to Prometheus 2.42 (\`npm run bench:promql\`)\n`);
    say(
      `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}.`,
    );
    say(
      `Data: 24 h at 15 s of ${HOSTS} hosts × ${series.length / HOSTS} series = **N = ${fmt(series.length)} series**, ${fmt(samples)} samples.\n`,
    );
    const ingestMs = { adapter: 0, prometheus: 0 };
    for (const body of bodies(series, start_, end)) {
      let t = performance.now();
      await write(promUrl, body, false);
      ingestMs.prometheus += performance.now() - t;
      t = performance.now();
      await write(adapterUrl, body, true);
      ingestMs.adapter += performance.now() - t;
    }
    say(
      `Ingest (remote_write, 30-minute requests in time order): adapter ${fmt(Math.round(samples / (ingestMs.adapter / 1000)))} samples/s, Prometheus ${fmt(Math.round(samples / (ingestMs.prometheus / 1000)))} samples/s; adapter peak RSS during ingest ${Math.round(peakRss(adapter))} MB.\n`,
    );
    resetPeakRss(adapter);
    resetPeakRss(prometheus);

    const times = new Map<string, { adapter: number[]; prometheus: number[] }>();
    const checks: string[] = [];
    for (const [name] of QUERIES) times.set(name, { adapter: [], prometheus: [] });
    // One warm-up round each (the first read of cold pages), then the measured runs, interleaved.
    for (let run = -1; run < RUNS; run++) {
      for (const [name, query] of QUERIES) {
        const order = run % 2 === 0 ? ['adapter', 'prometheus'] : ['prometheus', 'adapter'];
        const got: Record<string, Timed> = {};
        for (const who of order) {
          got[who] = await queryRange(who === 'adapter' ? adapterUrl : promUrl, query, start_, end, who === 'adapter');
        }
        if (run < 0) {
          const same = got.adapter.series === got.prometheus.series && got.adapter.points === got.prometheus.points;
          checks.push(
            `${name}: ${got.adapter.series} series, ${fmt(got.adapter.points)} points${same ? '' : ` (Prometheus: ${got.prometheus.series}, ${got.prometheus.points})`}`,
          );
          continue;
        }
        times.get(name)!.adapter.push(got.adapter.ms);
        times.get(name)!.prometheus.push(got.prometheus.ms);
      }
    }

    say(
      `Queries: \`query_range\` over the 24 h, step 60 s (1,441 points a series), ${RUNS} runs each after one warm-up, interleaved.\n`,
    );
    say('| query | adapter p50 ms | Prometheus p50 ms | p50 ratio | adapter p95 ms | Prometheus p95 ms | p95 ratio |');
    say('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    const all = { adapter: [] as number[], prometheus: [] as number[] };
    const row = (name: string, a: number[], p: number[]) => {
      const [a50, p50, a95, p95] = [percentile(a, 50), percentile(p, 50), percentile(a, 95), percentile(p, 95)];
      say(
        `| ${name} | ${a50.toFixed(0)} | ${p50.toFixed(0)} | ${(a50 / p50).toFixed(1)}× | ${a95.toFixed(0)} | ${p95.toFixed(0)} | ${(a95 / p95).toFixed(1)}× |`,
      );
    };
    for (const [name] of QUERIES) {
      const t = times.get(name)!;
      all.adapter.push(...t.adapter);
      all.prometheus.push(...t.prometheus);
      row(name, t.adapter, t.prometheus);
    }
    row('**all queries**', all.adapter, all.prometheus);
    say(`\nAnswers (warm-up round): ${checks.join('; ')}.`);
    say(
      `\nPeak RSS while the queries ran (VmHWM, reset after ingest): adapter ${Math.round(peakRss(adapter))} MB (its PostgreSQL apart), Prometheus ${Math.round(peakRss(prometheus))} MB.`,
    );
  } finally {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  killAll();
  console.error(err);
  process.exit(1);
});
