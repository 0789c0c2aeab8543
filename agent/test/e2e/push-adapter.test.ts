// End-to-end: the agent pushes to our own timescale-adapter (PostgreSQL underneath). An outage
// of the adapter plus a SIGKILL of the agent during it loses nothing the agent sampled, the
// samples are stored in order and none twice; what the adapter acknowledged is what it returns.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@nester/testing/database';
import { encodeReadRequest, decodeReadResponse } from '@nester/common/prompb/read';
import { snappyCompress, snappyUncompress } from '@nester/common/prompb/snappy';
import { MatcherType } from '@nester/common/prompb/types';
import { freePort, type Service, startService, waitForHttp } from '@nester/testing/services';
import { type RunningHarvester, startHarvester } from '@nester/testing/harvester';
import { continuityProblems, runOutage } from '../support/outage';
import { type Recorder, startRecorder } from '../support/recorder';

const ADAPTER_BIN = join(
  dirname(require.resolve('@nester/timescale-adapter/package.json')),
  'bin',
  'timescale-adapter.js',
);
const INSTANCE = 'adapter-test:9100';
const WRITE_TOKEN = randomBytes(24).toString('base64url');
const READ_TOKEN = randomBytes(24).toString('base64url');

let dir: string;
let db: TestDatabase;
let adapter: Service | undefined;
let adapterUrl: string;
let recorder: Recorder;
let receiverPort: number;
const agents: RunningHarvester[] = [];

async function startAdapter() {
  const port = await freePort();
  adapter = startService('timescale-adapter', process.execPath, [
    ADAPTER_BIN,
    `--web.listen-address=127.0.0.1:${port}`,
    `--db.url=${db.url}`,
    `--auth.write-token-file=${join(dir, 'write-token')}`,
    `--auth.read-token-file=${join(dir, 'read-token')}`,
    '--log.level=warn',
  ]);
  adapterUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(adapter, `${adapterUrl}/-/ready`);
  recorder.setUpstream(adapterUrl);
}

async function pushingAgent(): Promise<RunningHarvester> {
  const agent = await startHarvester([
    '--collector.disable-defaults',
    '--collector.meminfo',
    '--collector.loadavg',
    `--push.url=http://127.0.0.1:${receiverPort}/api/v1/write`,
    `--push.bearer-token-file=${join(dir, 'write-token')}`,
    `--push.instance=${INSTANCE}`,
    '--push.interval=1s',
    '--push.max-backoff=500ms',
    `--push.queue.dir=${join(dir, 'queue')}`,
  ]);
  agents.push(agent);
  return agent;
}

/** Raw samples of one metric of the test instance, read back with remote_read. */
async function readBack(metric: string): Promise<{ timestamp: number; value: number }[]> {
  const body = encodeReadRequest({
    queries: [
      {
        startTimestampMs: Date.now() - 600_000,
        endTimestampMs: Date.now() + 60_000,
        matchers: [
          { type: MatcherType.EQ, name: '__name__', value: metric },
          { type: MatcherType.EQ, name: 'instance', value: INSTANCE },
        ],
      },
    ],
    acceptedResponseTypes: [],
  });
  const res = await fetch(`${adapterUrl}/api/v1/read`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${READ_TOKEN}`,
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
    },
    body: snappyCompress(body),
  });
  if (!res.ok) throw new Error(`remote_read: HTTP ${res.status} ${await res.text()}`);
  const [result] = decodeReadResponse(snappyUncompress(Buffer.from(await res.arrayBuffer()))).results;
  expect(result.timeseries).toHaveLength(1);
  return result.timeseries[0].samples;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nester-push-adapter-'));
  writeFileSync(join(dir, 'write-token'), `${WRITE_TOKEN}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'read-token'), `${READ_TOKEN}\n`, { mode: 0o600 });
  db = await createTestDatabase('push_adapter');
  receiverPort = await freePort();
  recorder = await startRecorder(receiverPort);
  await startAdapter();
}, 60_000);

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.service.stop('SIGKILL')));
  await adapter?.stop();
  await recorder?.close();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

test('an adapter outage and a SIGKILL of the agent during it lose nothing, duplicate nothing', async () => {
  const marks = await runOutage({
    startHarvester: pushingAgent,
    stopReceiver: async () => {
      recorder.setUpstream(undefined);
      await adapter!.stop();
    },
    startReceiver: startAdapter,
  });
  const stored = await readBack('node_memory_MemTotal_bytes');
  expect(
    continuityProblems(
      stored.map((s) => s.timestamp),
      marks,
    ),
  ).toEqual([]);

  // Everything the adapter acknowledged is stored with the value that was sent.
  const sent = [...recorder.accepted()].find(([key]) => key.includes('"node_load1"'))![1];
  const load1 = new Map((await readBack('node_load1')).map((s) => [s.timestamp, s.value]));
  for (const [seconds, value] of sent) expect(load1.get(Math.round(seconds * 1000))).toBe(Number(value));
}, 90_000);
