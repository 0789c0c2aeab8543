// Fuzz, end to end: the real agent with a queue directory full of what it did not write, before it
// starts and while it pushes (fixed seed). It must start, never exit, keep pushing, and deliver
// every sample it queued during a receiver outage, across a restart.

import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWriteRequest } from '@nester/common/prompb/write';
import { snappyUncompress } from '@nester/common/prompb/snappy';
import { type RunningHarvester, scrape, startHarvester } from '@nester/testing/harvester';
import { eventually, freePort } from '@nester/testing/services';
import { scanSegment } from '../../src/push/queue/segments';
import { metricValue } from '../support/metrics-of';
import { seeded } from '@nester/testing/random';
import { addJunk } from '../support/queue-junk';

const CRASH = /Uncaught|TypeError|RangeError|ReferenceError|\n\s+at .*\(.*:\d+:\d+\)/;

/** A remote_write receiver that is down (503) or up, keeping the timestamps of `up` samples. */
async function receiver(port: number) {
  let up = false;
  const timestamps = new Set<number>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!up) return res.writeHead(503).end('down for the test\n');
    for (const series of decodeWriteRequest(snappyUncompress(Buffer.concat(chunks))).timeseries) {
      if (!series.labels.some((label) => label.name === '__name__' && label.value === 'up')) continue;
      for (const sample of series.samples) timestamps.add(sample.timestamp);
    }
    res.writeHead(204).end();
  };
  // A handler that throws is an unhandled rejection: it fails the test.
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    setUp: (value: boolean) => (up = value),
    timestamps,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let root: string;
const stops: (() => Promise<unknown>)[] = [];
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'agent-queue-fuzz-'))));
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
  rmSync(root, { recursive: true, force: true });
});

test('junk in the queue directory before and during pushing: the agent keeps pushing and loses nothing it queued', async () => {
  const random = seeded(4242);
  const queueDir = join(root, 'queue');
  const victim = join(root, 'victim');
  writeFileSync(victim, 'precious\n');
  mkdirSync(queueDir, { mode: 0o700 });
  const planted = [];
  for (let n = 0; n < 15; n++) planted.push(addJunk(random, queueDir, { victim, cursor: true }));

  const port = await freePort();
  const receiving = await receiver(port);
  stops.push(() => receiving.close());
  const start = async () => {
    const agent: RunningHarvester = await startHarvester([
      '--collector.disable-defaults',
      '--collector.loadavg',
      `--push.url=http://127.0.0.1:${port}/api/v1/write`,
      '--push.interval=100ms',
      '--push.max-backoff=200ms',
      `--push.queue.dir=${queueDir}`,
      '--push.queue.segment-size=1KiB',
    ]);
    stops.push(() => agent.service.stop('SIGKILL'));
    return agent;
  };

  // The receiver is down: everything sampled stays queued, while more junk arrives between pushes.
  const first = await start();
  for (let n = 0; n < 10; n++) {
    planted.push(addJunk(random, queueDir, { victim, cursor: false }));
    await new Promise((done) => setTimeout(done, 50));
  }
  await eventually(
    async () => ((await metricValue(first.url, 'harvester_remote_write_queue_samples')) ?? 0) > 0,
    'samples to be queued',
  );
  await first.service.stop(); // SIGTERM: a clean stop, everything still queued
  expect(first.service.process.exitCode).toBe(0);
  const queued = ownTimestamps(queueDir);
  expect(queued.length).toBeGreaterThan(3);
  for (let n = 0; n < 5; n++) planted.push(addJunk(random, queueDir, { victim, cursor: false }));

  // The receiver is back: the next agent delivers the backlog and keeps pushing.
  receiving.setUp(true);
  const second = await start();
  const context = planted.join(' | ');
  await eventually(
    async () => ((await metricValue(second.url, 'harvester_remote_write_queue_samples')) === 0 ? true : undefined),
    `the queue to drain (${context})`,
    30_000,
  );
  const latest = Math.max(...receiving.timestamps);
  await eventually(() => Math.max(...receiving.timestamps) > latest, 'pushing to go on');

  expect({ context, lost: queued.filter((t) => !receiving.timestamps.has(t)) }).toEqual({ context, lost: [] });
  expect(second.service.process.exitCode).toBeNull();
  expect(await scrape(second.url)).toContain('node_load1 ');
  expect(await metricValue(second.url, 'harvester_remote_write_samples_dropped_total')).toBe(0);
  expect(lstatSync(victim).size).toBe('precious\n'.length);
  for (const agent of [first, second]) expect(agent.service.output()).not.toMatch(CRASH);
}, 90_000);

/** Sampling timestamps of the records the agent queued (junk records are forged at 1 ms). */
function ownTimestamps(dir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync(dir).filter((entry) => /^\d{20,}\.seg$/.test(entry))) {
    try {
      for (const entry of scanSegment(join(dir, name)).entries) if (entry.oldestMs > 1e12) out.push(entry.oldestMs);
    } catch {
      // not a file of the queue's
    }
  }
  return out;
}
