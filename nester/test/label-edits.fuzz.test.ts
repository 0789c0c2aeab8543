// Label edits are operator input that ends up in every series a machine pushes, so nester checks
// them as Prometheus would: names [a-zA-Z_][a-zA-Z0-9_]*, bounded sizes, no reserved name
// (__name__, instance, job, harvester_id, __*). Seeded fuzzing against the real `nester serve`
// process: every answer is a 200 with exactly the labels sent, or a 400 that says what to fix;
// the stored set is always the last accepted one, the agent is told each accepted set, and the
// process is healthy afterwards.

import { checkLabels, LABEL_LIMITS } from '@nester/contracts/metrics/identity';
import { seeded } from '@nester/testing/random';
import { eventually } from '@nester/testing/services';
import { connectFakeAgent, type FakeAgent } from './support/fake-agent';
import { randomJson, randomString } from './support/fuzz';
import { type NesterProcess, startNesterProcess } from './support/nester-process';

let nester: NesterProcess;
let agent: FakeAgent;

beforeAll(async () => {
  nester = await startNesterProcess();
  agent = await connectFakeAgent(nester, { hostname: 'labelled', labels: { rack: 'r1' } });
}, 60_000);

afterAll(async () => {
  agent?.close();
  await nester?.stop();
});

const path = () => `/api/v1/harvesters/${agent.harvesterId}/labels`;

test('reserved and malformed label names, and oversized sets, are a 400 naming the problem', async () => {
  const cases: [unknown, RegExp][] = [
    [{ __name__: 'x' }, /reserved/],
    [{ instance: 'x' }, /reserved/],
    [{ job: 'x' }, /reserved/],
    [{ harvester_id: 'h_other' }, /reserved/],
    [{ __meta_x: 'x' }, /reserved/],
    [{ 'rack-id': 'x' }, /must match/],
    [{ '9lives': 'x' }, /must match/],
    [{ ['a'.repeat(64)]: 'x' }, /at most 63/],
    [{ rack: 'x'.repeat(257) }, /longer than 256/],
    [{ rack: '' }, /empty value/],
    [{ rack: 7 }, /string value/],
    [{ rack: 'a\u0001b' }, /control characters/],
    [Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`l${i}`, 'v'])), /at most 32 labels/],
    [['rack', 'x'], /object/],
    ['rack=x', /object/],
  ];
  for (const [labels, message] of cases) {
    const { status, body } = await nester.api('POST', path(), { labels });
    expect([labels, status, body.error]).toEqual([labels, 400, expect.stringMatching(message)]);
  }
  expect((await nester.api('POST', path(), {})).body.error).toMatch(/send \{"labels"/);
  expect((await nester.api('POST', '/api/v1/harvesters/h_nobody/labels', { labels: {} })).status).toBe(404);
});

test('fuzz (seeded): every label edit is applied exactly or refused with a 400; the agent hears the accepted ones', async () => {
  const seed = 0x1abe15;
  const rng = seeded(seed);
  const names = ['rack', 'room', 'env', 'team_2', '_x', 'instance', 'job', '__name__', 'harvester_id', 'a.b', 'Ä'];
  const name = () => (rng.chance(0.6) ? rng.pick(names) : randomString(rng).slice(0, rng.between(0, 70)));
  const value = (): unknown =>
    rng.chance(0.6)
      ? rng.string(rng.between(1, 20), 'abcdefghij0123456789-_. ')
      : rng.chance(0.7)
        ? randomString(rng)
        : randomJson(rng, 2);
  let accepted: Record<string, string> | undefined;
  let acceptedCount = 0;
  const started = Date.now();
  for (let i = 0; i < 200 && Date.now() - started < 8000; i++) {
    const labels: Record<string, unknown> = {};
    for (let n = rng.between(0, rng.chance(0.1) ? LABEL_LIMITS.maxLabels + 3 : 4); n > 0; n--) labels[name()] = value();
    const body = rng.chance(0.1) ? { labels: randomJson(rng, 2) } : { labels };
    const answer = await nester.api('POST', path(), body);
    const expected = checkLabels(body.labels);
    const context = { seed, case: i, body: JSON.stringify(body).slice(0, 300) };
    if (answer.status === 200) {
      expect({ ...context, labels: answer.body.labels }).toEqual({
        ...context,
        labels: (expected as { labels: unknown }).labels,
      });
      accepted = answer.body.labels;
      acceptedCount++;
    } else {
      // A NUL or lone surrogate anywhere in the body is refused before the label check (400), an
      // oversized body before it is read (413).
      const clear = answer.status === 413 || (answer.status === 400 && !expected.ok);
      expect({ ...context, status: answer.status, clear, error: typeof answer.body.error }).toEqual({
        ...context,
        status: answer.status,
        clear: true,
        error: 'string',
      });
    }
  }
  expect(acceptedCount).toBeGreaterThan(5);
  const stored = (await nester.api('GET', `/api/v1/harvesters/${agent.harvesterId}`)).body;
  expect(stored).toMatchObject({ labels: accepted, agentLabels: { rack: 'r1' }, labelsSetByOperator: true });
  await eventually(
    () => agent.received.filter((m) => m.type === 'labels').length === acceptedCount,
    'every accepted label set sent to the agent',
  );
  expect(agent.received.filter((m) => m.type === 'labels').at(-1)).toEqual({ type: 'labels', labels: accepted });
  await nester.assertHealthy();
  expect(nester.logLines().filter((l) => l.msg === 'request failed')).toEqual([]);
}, 60_000);
