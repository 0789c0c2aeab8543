// Benchmark of the push side, against our timescale-adapter on an embedded PostgreSQL:
//  1. agent CPU and RSS with push on versus off (push off = scraped at the same interval);
//  2. replay rate of a backlog left by a long outage, against the adapter's own ingest
//     ceiling for the very same request bodies, measured in the same run.
//
//   npm run bench:push

import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, type Service, startService, waitForHttp } from '@nester/testing/services';
import { listSegments, readPayload, scanSegment, segmentPath } from '../src/push/queue/segments';
import { type RunningHarvester, scrape, startHarvester } from '@nester/testing/harvester';
import { processStat, processStatusKib } from '@nester/testing/proc';
import { metricValue } from '../test/support/metrics-of';

const ADAPTER_BIN = join(
  dirname(require.resolve('@nester/timescale-adapter/package.json')),
  'bin',
  'timescale-adapter.js',
);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const dir = mkdtempSync(join(tmpdir(), 'nester-bench-push-'));
chmodSync(dir, 0o711); // the embedded PostgreSQL (user postgres when run as root) must pass through
const token = randomBytes(24).toString('base64url');
writeFileSync(join(dir, 'token'), token, { mode: 0o600 });

async function main() {
  const port = await freePort();
  const adapter = await startAdapter(port, 'adapter');
  const stops: (() => Promise<void>)[] = [() => adapter.stop()];
  try {
    await onVersusOff(port, stops);
    await replay(port, stops);
  } finally {
    for (const stop of stops.reverse()) await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startAdapter(port: number, dataDir: string): Promise<Service> {
  const adapter = startService('timescale-adapter', process.execPath, [
    ADAPTER_BIN,
    `--web.listen-address=127.0.0.1:${port}`,
    `--data-dir=${join(dir, dataDir)}`,
    `--auth.write-token-file=${join(dir, 'token')}`,
    '--log.level=warn',
  ]);
  await waitForHttp(adapter, `http://127.0.0.1:${port}/-/ready`, { timeoutMs: 60_000 });
  return adapter;
}

const pushArgs = (port: number, queue: string, interval: string) => [
  `--push.url=http://127.0.0.1:${port}/api/v1/write`,
  `--push.bearer-token-file=${join(dir, 'token')}`,
  `--push.interval=${interval}`,
  `--push.queue.dir=${join(dir, queue)}`,
  '--push.queue.max-size=1GiB',
];

async function onVersusOff(port: number, stops: (() => Promise<void>)[]) {
  const seconds = 60;
  const off = await startHarvester();
  const on = await startHarvester(pushArgs(port, 'queue-on', '1s'));
  stops.push(
    () => off.service.stop(),
    () => on.service.stop(),
  );
  await sleep(3000); // warm-up
  const before = [cpuMs(off), cpuMs(on)];
  for (let i = 0; i < seconds; i++) {
    await scrape(off.url); // the push-off agent is scraped as Prometheus would, at the same interval
    await sleep(1000);
  }
  const [offCpu, onCpu] = [(cpuMs(off) - before[0]) / seconds, (cpuMs(on) - before[1]) / seconds];
  const [offRss, onRss] = [rssMb(off), rssMb(on)];
  const sent = (await metricValue(on.url, 'harvester_remote_write_samples_sent_total')) ?? 0;
  console.log(`\n## Push on versus off (${seconds} s at a 1 s interval)\n`);
  console.log('| agent | CPU ms per interval | RSS MB |\n|---|---|---|');
  console.log(`| push off, scraped | ${offCpu.toFixed(2)} | ${offRss.toFixed(1)} |`);
  console.log(`| push on, not scraped | ${onCpu.toFixed(2)} | ${onRss.toFixed(1)} |`);
  console.log(
    `\nratios on/off: CPU ${(onCpu / offCpu).toFixed(2)}, RSS ${(onRss / offRss).toFixed(2)}; ${sent} samples pushed`,
  );
  await Promise.all([off.service.stop(), on.service.stop()]);
}

async function replay(port: number, stops: (() => Promise<void>)[]) {
  // A long outage: nothing answers at the receiver's address while the agent queues 400k samples
  // (an hour and a half of this machine's ~1,100 series at 15 s, queued here at 100 ms).
  const deadPort = await freePort();
  const filling = await startHarvester(pushArgs(deadPort, 'queue-replay', '100ms'));
  stops.push(() => filling.service.stop());
  while (((await metricValue(filling.url, 'harvester_remote_write_queue_samples')) ?? 0) < 400_000) await sleep(500);
  await filling.service.stop();
  const backlog = bodies(join(dir, 'queue-replay'));

  // The agent comes back with the receiver reachable and drains its queue, one request in flight.
  const started = Date.now();
  const replaying: RunningHarvester = await startHarvester(pushArgs(port, 'queue-replay', '1h'));
  stops.push(() => replaying.service.stop());
  while (((await metricValue(replaying.url, 'harvester_remote_write_queue_samples')) ?? 1) > 0) await sleep(50);
  const replayRate = backlog.samples / ((Date.now() - started) / 1000);
  await replaying.service.stop();

  // The adapter's ceiling on the very same bodies, into a fresh database of its own (so that
  // none is a duplicate): 4 senders at once, as fast as it acknowledges them.
  const freshPort = await freePort();
  const fresh = await startAdapter(freshPort, 'adapter-ceiling');
  stops.push(() => fresh.stop());
  const ceiling = backlog.samples / (await blast(freshPort, backlog.payloads, 4));

  console.log(
    `\n## Replay after an outage (${backlog.samples} samples in ${backlog.payloads.length} queued requests)\n`,
  );
  console.log('| what | samples/s |\n|---|---|');
  console.log(`| adapter ceiling (same bodies, 4 concurrent senders) | ${ceiling.toFixed(0)} |`);
  console.log(`| agent replay (merged requests, 1 in flight, incl. start-up) | ${replayRate.toFixed(0)} |`);
  console.log(`\nratio replay/ceiling: ${(replayRate / ceiling).toFixed(2)}`);
  console.log(`\nMachine: ${cpus().length} x ${cpus()[0].model}, Node.js ${process.version}`);
}

function bodies(queueDir: string): { payloads: Buffer[]; samples: number } {
  const payloads: Buffer[] = [];
  let samples = 0;
  for (const seq of listSegments(queueDir).segments) {
    const path = segmentPath(queueDir, seq);
    for (const entry of scanSegment(path).entries) {
      const read = readPayload(path, entry);
      if ('problem' in read) throw new Error(read.problem);
      payloads.push(read.payload);
      samples += entry.samples;
    }
  }
  return { payloads, samples };
}

/** Sends every body with `concurrency` requests in flight; returns the seconds it took. */
async function blast(port: number, payloads: Buffer[], concurrency: number): Promise<number> {
  let next = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < payloads.length) {
      const body = payloads[next++];
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/write`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Encoding': 'snappy',
          'Content-Type': 'application/x-protobuf',
          'X-Prometheus-Remote-Write-Version': '0.1.0',
        },
        body,
      });
      if (!res.ok) throw new Error(`adapter refused a body: HTTP ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (Date.now() - started) / 1000;
}

const cpuMs = (agent: RunningHarvester) => processStat(agent.service.process.pid!).cpuMs;
const rssMb = (agent: RunningHarvester) => processStatusKib(agent.service.process.pid!, 'VmRSS') / 1024;

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
