// Session limits hold when requests arrive together: the place is taken before the audit row is
// written, and given back when that write fails. Watching a terminal holds a place of the user's.

import { AGENT_SESSION_PATH, SESSION_TOKEN_HEADER } from '@nester/contracts/remote/protocol';
import { eventually } from '@nester/testing/services';
import WebSocket from 'ws';
import { connectBrowser } from './support/browser';
import { connectFakeAgent, type FakeAgent } from './support/fake-agent';
import { startTestNester, type TestNester } from './support/nester';

let nester: TestNester;
const agents: FakeAgent[] = [];

beforeAll(async () => {
  nester = await startTestNester({}, { maxSessionsPerHarvester: 3, maxSessionsPerUser: 5 });
  for (let i = 0; i < 3; i++) agents.push(await connectFakeAgent(nester));
  await eventually(() => agents.every((a) => nester.nester.hub.capabilities(a.harvesterId)?.terminal), 'agents online');
});

afterAll(async () => {
  for (const agent of agents) agent.close();
  await nester?.stop();
});

const request = (harvesterId: string, user: string) =>
  nester.api('POST', '/api/v1/sessions/terminal', { harvesterId }, { 'x-grafana-user': user });

afterEach(() => {
  // Unused tickets hold their places; end them so each test starts with none.
  for (const agent of agents) nester.nester.broker.endForHarvester(agent.harvesterId, 'test over', 'server', 1000);
});

test('40 parallel requests for one harvester with a limit of 3 get exactly 3 tickets', async () => {
  const answers = await Promise.all(Array.from({ length: 40 }, () => request(agents[0].harvesterId, 'alice')));
  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(3);
  expect(statuses.filter((s) => s === 429)).toHaveLength(37);
  expect(nester.nester.broker.size).toBe(3);
});

test('40 parallel requests of one user over several harvesters get exactly the user limit of 5', async () => {
  const answers = await Promise.all(
    Array.from({ length: 40 }, (_, i) => request(agents[i % 3].harvesterId, 'bob').then((a) => ({ ...a, i }))),
  );
  const granted = answers.filter((a) => a.status === 201);
  expect(granted).toHaveLength(5);
  expect(answers.filter((a) => a.status === 429)).toHaveLength(35);
  for (const agent of agents) {
    expect(granted.filter((a) => agents[a.i % 3] === agent).length).toBeLessThanOrEqual(3);
  }
});

test('a request whose audit row cannot be written gives its place back', async () => {
  // A real failure of PostgreSQL for one user's inserts.
  await nester.pool.query(`
    CREATE FUNCTION fleet.refuse_mallet() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 'disk full (test)'; END $$;
    CREATE TRIGGER refuse_mallet BEFORE INSERT ON fleet.sessions
      FOR EACH ROW WHEN (NEW.user_login = 'mallet' AND NOT NEW.refused) EXECUTE FUNCTION fleet.refuse_mallet();`);
  try {
    // More failures in a row than either limit: none of them may keep a place.
    for (let i = 0; i < 6; i++) expect((await request(agents[1].harvesterId, 'mallet')).status).toBe(500);
    expect(nester.nester.broker.size).toBe(0);
    expect((await request(agents[1].harvesterId, 'carol')).status).toBe(201);
  } finally {
    await nester.pool.query('DROP TRIGGER refuse_mallet ON fleet.sessions; DROP FUNCTION fleet.refuse_mallet()');
  }
});

/** Opens alice's terminal with the fake agent answering for it, as far as `ready` (the shell is not needed). */
async function liveTerminal(agent: FakeAgent): Promise<{ sessionId: string; close(): void }> {
  const { body } = await nester.api('POST', '/api/v1/sessions/terminal', { harvesterId: agent.harvesterId });
  const browser = connectBrowser(body.websocketUrl);
  browser.once('open', () => browser.send(JSON.stringify({ type: 'hello', ticket: body.ticket })));
  const open = await eventually(
    () => agent.received.find((m) => m.type === 'open-session' && m.sessionId === body.sessionId),
    'nester to ask the agent',
  );
  const side = new WebSocket(`${nester.url.replace(/^http/, 'ws')}${AGENT_SESSION_PATH}${body.sessionId}`, {
    headers: {
      authorization: `Bearer ${agent.harvesterId}.${agent.credential}`,
      [SESSION_TOKEN_HEADER]: String(open.token),
    },
  });
  await new Promise((resolve) => browser.once('message', resolve));
  return {
    sessionId: body.sessionId,
    close: () => {
      browser.close(1000);
      side.close();
    },
  };
}

test('the terminals a user watches count against their session limit', async () => {
  const owner = await liveTerminal(agents[2]);
  try {
    const join = () =>
      nester.api('POST', `/api/v1/sessions/terminal/${owner.sessionId}/join`, {}, { 'x-grafana-user': 'dora' });
    // Dora holds 4 of her 5 places with session tickets, then watches alice's terminal: the 5th.
    for (let i = 0; i < 4; i++) expect((await request(agents[i % 2].harvesterId, 'dora')).status).toBe(201);
    const ticket = await join();
    expect(ticket.status).toBe(201);
    const watcher = connectBrowser(ticket.body.websocketUrl);
    watcher.once('open', () => watcher.send(JSON.stringify({ type: 'hello', ticket: ticket.body.ticket })));
    await new Promise((resolve) => watcher.once('message', resolve));
    await eventually(
      () =>
        nester.nester.broker
          .get(owner.sessionId)
          ?.joiners.list()
          .some((j) => j.user === 'dora'),
      'dora to be watching',
    );
    // Full now: neither another session nor another join.
    const more = await request(agents[0].harvesterId, 'dora');
    expect(more.status).toBe(429);
    expect(more.body.error).toMatch(/dora already has 5 open sessions \(watched ones included\)/);
    expect((await join()).status).toBe(429);
    // The harvester's own limit is not touched by watchers: alice still opens a second one there.
    expect((await request(agents[2].harvesterId, 'alice')).status).toBe(201);
    // Leaving gives the place back.
    watcher.close(1000);
    await eventually(() => !nester.nester.broker.get(owner.sessionId)?.joiners.list().length, 'dora to have left');
    expect((await request(agents[0].harvesterId, 'dora')).status).toBe(201);
  } finally {
    owner.close();
  }
});
