// End-to-end: the agent pushes with remote_write to the real Prometheus receiver. What it sent
// (observed by a pass-through recorder) is exactly what Prometheus stores; an outage of the
// receiver plus a SIGKILL of the agent loses nothing the agent had sampled.

import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort } from '@nester/testing/services';
import { continuityProblems, runOutage } from '../support/outage';
import { type RunningHarvester, startHarvester } from '@nester/testing/harvester';
import { metricValue } from '../support/metrics-of';
import { labelKey, type RunningPrometheus, startPrometheus } from '@nester/testing/prometheus';
import { startRecorder, type Recorder } from '../support/recorder';

const COLLECTORS = ['--collector.disable-defaults', '--collector.loadavg', '--collector.meminfo', '--collector.stat'];
let dir: string;
let receiverPort: number;
let prometheus: RunningPrometheus | undefined;
let recorder: Recorder;
const agents: RunningHarvester[] = [];

const startReceiver = async () => {
  prometheus = await startPrometheus('global: {}\n', {
    args: ['--web.enable-remote-write-receiver'],
    dataDir: join(dir, 'tsdb'),
  });
  recorder.setUpstream(prometheus.url);
};
const pushingAgent = async (extra: string[] = []) => {
  const agent = await startHarvester([
    ...extra,
    ...COLLECTORS,
    `--push.url=http://127.0.0.1:${receiverPort}/api/v1/write`,
    '--push.interval=1s',
    '--push.max-backoff=500ms',
    `--push.queue.dir=${join(dir, 'queue')}`,
  ]);
  agents.push(agent);
  return agent;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nester-push-'));
  receiverPort = await freePort();
  recorder = await startRecorder(receiverPort);
  await startReceiver();
}, 30_000);

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.service.stop('SIGKILL')));
  await prometheus?.stop();
  await recorder?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every raw sample Prometheus holds for the agent's series, keyed by series. */
async function storedSamples(): Promise<Map<string, [number, string][]>> {
  const res = await fetch(`${prometheus!.url}/api/v1/query?query=${encodeURIComponent('{job="node"}[10m]')}`);
  const body = (await res.json()) as {
    data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
  };
  return new Map(body.data.result.map(({ metric, values }) => [labelKey(metric), values]));
}

test('samples arrive in Prometheus exactly as sent, labelled as a scrape of this agent', async () => {
  const agent = await pushingAgent();
  await eventually(
    async () => ((await metricValue(agent.url, 'harvester_remote_write_samples_sent_total')) ?? 0) > 0 || undefined,
    'first push',
  );
  await new Promise((done) => setTimeout(done, 2500));
  await agent.service.stop();

  const sent = recorder.accepted();
  expect(sent.size).toBeGreaterThan(50);
  const stored = await storedSamples();
  const numeric = (samples?: [number, string][]) => samples?.map(([t, v]) => [t, Number(v)]);
  for (const [key, samples] of sent) {
    expect(numeric(stored.get(key))).toEqual(numeric(samples));
  }
  const [any] = [...sent.keys()].map((key) => Object.fromEntries(JSON.parse(key) as [string, string][]));
  expect(any.job).toBe('node');
  expect(any.instance).toBe(`${hostname()}:${agent.port}`);
}, 40_000);

test('a receiver outage and a SIGKILL of the agent during it lose nothing the agent sampled', async () => {
  const marks = await runOutage({
    startHarvester: () => pushingAgent(['--push.instance=outage-test:9100']),
    stopReceiver: () => prometheus!.stop(),
    startReceiver,
  });
  const series = (await storedSamples()).get(
    labelKey({ __name__: 'node_memory_MemTotal_bytes', instance: 'outage-test:9100', job: 'node' }),
  );
  expect(series).toBeDefined();
  expect(
    continuityProblems(
      series!.map(([t]) => Math.round(t * 1000)),
      marks,
    ),
  ).toEqual([]);
}, 60_000);
