// End-to-end: the queue's bound and its handling of a damaged segment, on the real agent.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort } from '@nester/testing/services';
import { type RunningHarvester, startHarvester } from '@nester/testing/harvester';
import { metricValue } from '../support/metrics-of';
import { type RunningPrometheus, startPrometheus } from '@nester/testing/prometheus';
import { startRecorder } from '../support/recorder';
import { scanSegment } from '../../src/push/queue/segments';

const COLLECTORS = ['--collector.disable-defaults', '--collector.loadavg', '--collector.meminfo', '--collector.stat'];
let dir: string;
const stops: (() => Promise<unknown>)[] = [];

beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nester-queue-'))));
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function agentPushingTo(port: number, extra: string[] = []): Promise<RunningHarvester> {
  const agent = await startHarvester([
    ...COLLECTORS,
    `--push.url=http://127.0.0.1:${port}/api/v1/write`,
    '--push.interval=100ms',
    '--push.max-backoff=200ms',
    `--push.queue.dir=${join(dir, 'queue')}`,
    '--push.queue.segment-size=8KiB',
    ...extra,
  ]);
  stops.push(() => agent.service.stop('SIGKILL'));
  return agent;
}

test('a full queue drops the oldest samples, counts them, and the agent stays healthy', async () => {
  const nobody = await freePort(); // nothing listens there: every push fails
  const agent = await agentPushingTo(nobody, ['--push.queue.max-size=32KiB']);
  const dropped = await eventually(
    async () => {
      const value = (await metricValue(agent.url, 'harvester_remote_write_samples_dropped_total')) ?? 0;
      return value > 0 ? value : undefined;
    },
    'samples to be dropped',
    30_000,
  );
  expect(dropped).toBeGreaterThan(0);
  expect(await metricValue(agent.url, 'harvester_remote_write_queue_bytes')).toBeLessThanOrEqual(32 * 1024 + 8 * 1024);
  expect(await metricValue(agent.url, 'harvester_remote_write_samples_retried_total')).toBeGreaterThan(0);
  expect(await metricValue(agent.url, 'node_load1')).toBeDefined(); // still scrapes fine
}, 40_000);

test('a damaged segment is skipped and counted; the rest of the queue is delivered', async () => {
  const port = await freePort();
  const recorder = await startRecorder(port); // no upstream yet: the receiver is "down"
  stops.push(() => recorder.close());
  const first = await agentPushingTo(port);
  await eventually(() => (segments().length >= 3 ? true : undefined), 'three queue segments', 30_000);
  await first.service.stop(); // SIGTERM: a clean stop with everything still queued
  const queued = Math.max(...lastTimestamps());

  const [victim] = segments();
  const bytes = readFileSync(victim);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  writeFileSync(victim, bytes);

  const prometheus: RunningPrometheus = await startPrometheus('global: {}\n', {
    args: ['--web.enable-remote-write-receiver'],
  });
  stops.push(() => prometheus.stop());
  recorder.setUpstream(prometheus.url);
  const second = await agentPushingTo(port);
  await eventually(
    async () => ((await metricValue(second.url, 'harvester_remote_write_queue_samples')) === 0 ? true : undefined),
    'the queue to drain',
    30_000,
  );

  expect(await metricValue(second.url, 'harvester_remote_write_corrupt_segments_total')).toBe(1);
  const delivered = new Set([...recorder.accepted().values()].flat().map(([t]) => t * 1000));
  expect(delivered.has(queued)).toBe(true); // the newest record queued before the restart, in a later segment
  expect(second.service.output()).toContain('queue segment damaged');
}, 60_000);

function segments(): string[] {
  const queue = join(dir, 'queue');
  return readdirSync(queue)
    .filter((name) => name.endsWith('.seg'))
    .sort()
    .map((name) => join(queue, name));
}

/** The oldest-sample timestamps of the records in the queue's segments. */
function lastTimestamps(): number[] {
  return segments().flatMap((path) => scanSegment(path).entries.map((entry) => entry.oldestMs));
}
