// One identity per machine, on the real stack: real nester, real agents (the built harvester),
// Debian's Prometheus receiving what the agent pushes. Both agents run on this machine, so they
// report the same /etc/machine-id: the second enrolment is the same machine enrolled again.

import { HARVESTER_ID_LABEL } from '@nester/contracts/metrics/identity';
import type { EnrolledHarvester } from '@nester/testing/harvester';
import { startPrometheus, type RunningPrometheus } from '@nester/testing/prometheus';
import { eventually, freePort } from '@nester/testing/services';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrolOnlineHarvester, startTestNester, type TestNester } from './support/nester';

let nester: TestNester;
let prometheus: RunningPrometheus;
const agents: EnrolledHarvester[] = [];
let metricsPort: number;
const queueDirs: string[] = [];

beforeAll(async () => {
  nester = await startTestNester();
  prometheus = await startPrometheus('global: {}\n', { args: ['--web.enable-remote-write-receiver'] });
  metricsPort = await freePort();
}, 60_000);

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  await prometheus?.stop();
  await nester?.stop();
  for (const dir of queueDirs) rmSync(dir, { recursive: true, force: true });
});

const pushArgs = (queueDir: string, port?: number) => [
  `--push.url=${prometheus.url}/api/v1/write`,
  '--push.interval=1s',
  '--push.max-backoff=500ms',
  `--push.queue.dir=${queueDir}`,
  '--remote.label=rack=r1',
  ...(port ? [`--web.listen-address=127.0.0.1:${port}`] : []),
];

async function onlineAgent(extra: (queueDir: string) => string[]) {
  const queueDir = mkdtempSync(join(tmpdir(), 'nester-identity-queue-'));
  queueDirs.push(queueDir);
  const { agent, harvesterId } = await enrolOnlineHarvester(nester, 'terminal', {
    terminal: true,
    args: extra(queueDir),
  });
  agents.push(agent);
  return { agent, harvesterId };
}

test('a second enrolment of the same machine replaces the first, and the fleet list shows one machine', async () => {
  const machineId = readFileSync('/etc/machine-id', 'utf8').trim();
  const first = await onlineAgent(() => []);
  const second = await onlineAgent(() => []);

  const older = (await nester.api('GET', `/api/v1/harvesters/${first.harvesterId}`)).body;
  expect(older).toMatchObject({ machineId, replacedBy: second.harvesterId });
  const newer = (await nester.api('GET', `/api/v1/harvesters/${second.harvesterId}`)).body;
  expect(newer).toMatchObject({ machineId, replacedBy: null });

  const current = (await nester.api('GET', '/api/v1/harvesters?hideRetired=true')).body.harvesters;
  expect(current.map((h: { machineId: string }) => h.machineId).filter((id: string) => id === machineId)).toHaveLength(
    1,
  );
  expect(current.map((h: { id: string }) => h.id)).toContain(second.harvesterId);
  const everything = (await nester.api('GET', '/api/v1/harvesters')).body.harvesters;
  expect(everything.map((h: { id: string }) => h.id)).toEqual(
    expect.arrayContaining([first.harvesterId, second.harvesterId]),
  );
  const events = (await nester.api('GET', `/api/v1/events?harvesterId=${first.harvesterId}`)).body.events;
  expect(events.map((e: { event: string }) => e.event)).toContain('harvester-replaced');
  expect((await nester.api('GET', '/api/v1/harvesters?hideRetired=maybe')).status).toBe(400);
}, 120_000);

test('pushed series carry the harvester id; labels an Admin sets reach the agent and its series', async () => {
  const { agent, harvesterId } = await onlineAgent((queue) => pushArgs(queue, metricsPort));
  // A site that scrapes the agent itself joins on instance with the info metric.
  const exposition = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(exposition).toMatch(
    new RegExp(`^harvester_info\\{${HARVESTER_ID_LABEL}="${harvesterId}",hostname="[^"]+",version="[^"]+"\\} 1$`, 'm'),
  );

  const selector = `up{${HARVESTER_ID_LABEL}="${harvesterId}"}`;
  const [pushed] = await eventually(async () => {
    const result = await prometheus.query(selector);
    return result.length ? result : undefined;
  }, "the agent's series in Prometheus, selected by harvester id");
  expect(pushed.metric).toMatchObject({ job: 'node', rack: 'r1', [HARVESTER_ID_LABEL]: harvesterId });

  const set = await nester.api('POST', `/api/v1/harvesters/${harvesterId}/labels`, {
    labels: { rack: 'r9', room: 'b2' },
  });
  expect(set.status).toBe(200);
  expect(set.body).toMatchObject({
    labels: { rack: 'r9', room: 'b2' },
    agentLabels: { rack: 'r1' },
    labelsSetByOperator: true,
  });
  await eventually(async () => {
    const result = await prometheus.query(`up{${HARVESTER_ID_LABEL}="${harvesterId}",rack="r9",room="b2"}`);
    return result.length > 0;
  }, 'the edited labels on the pushed series');
  expect(JSON.parse(readFileSync(`${agent.stateDir}/labels.json`, 'utf8'))).toEqual({ rack: 'r9', room: 'b2' });
  // The agent reports its own labels again on reconnect; the operator's stay in force.
  await nester.restart();
  await eventually(
    async () => (await nester.api('GET', `/api/v1/harvesters/${harvesterId}`)).body.status === 'online',
    'the agent back online',
    60_000,
  );
  expect((await nester.api('GET', `/api/v1/harvesters/${harvesterId}`)).body.labels).toEqual({
    rack: 'r9',
    room: 'b2',
  });

  const events = (await nester.api('GET', `/api/v1/events?harvesterId=${harvesterId}`)).body.events;
  expect(events.find((e: { event: string }) => e.event === 'harvester-labels-set')).toMatchObject({ actor: 'alice' });
}, 120_000);

test('an Admin deletes only a revoked machine; its audit rows stay', async () => {
  const { harvesterId } = await onlineAgent(() => []);
  const early = await nester.api('DELETE', `/api/v1/harvesters/${harvesterId}`);
  expect(early.status).toBe(409);
  expect(early.body.error).toMatch(/revoke it first/);
  expect((await nester.api('POST', `/api/v1/harvesters/${harvesterId}/revoke`)).status).toBe(200);
  expect((await nester.api('POST', `/api/v1/harvesters/${harvesterId}/labels`, { labels: { a: 'b' } })).status).toBe(
    404,
  );
  const hidden = (await nester.api('GET', '/api/v1/harvesters?hideRetired=true')).body.harvesters;
  expect(hidden.map((h: { id: string }) => h.id)).not.toContain(harvesterId);

  expect((await nester.api('DELETE', `/api/v1/harvesters/${harvesterId}`)).status).toBe(204);
  expect((await nester.api('GET', `/api/v1/harvesters/${harvesterId}`)).status).toBe(404);
  expect((await nester.api('DELETE', `/api/v1/harvesters/${harvesterId}`)).status).toBe(404);
  const events = (await nester.api('GET', `/api/v1/events?harvesterId=${harvesterId}`)).body.events;
  expect(events.map((e: { event: string }) => e.event)).toEqual(
    expect.arrayContaining(['enrolled', 'harvester-revoked', 'harvester-deleted']),
  );
}, 120_000);
