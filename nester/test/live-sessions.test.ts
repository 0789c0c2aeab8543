// Who is here: the live sessions of a harvester with their users and byte counts, and an
// administrator ending one, with a real agent and real ptys. The user whose session is ended is
// told who ended it and why; the audit row and an audit event say it too.

import { messageText } from '@nester/common/net/ws-message';
import { seeded } from '@nester/testing/random';
import { eventually } from '@nester/testing/services';
import type { EnrolledHarvester } from '@nester/testing/harvester';
import { randomJson, randomString } from './support/fuzz';
import { closeOf, connectBrowser, type OpenedSession, openSession } from './support/browser';
import { enrolOnlineHarvester, startTestNester, type TestNester } from './support/nester';

let nester: TestNester;
let agent: EnrolledHarvester;
let harvesterId: string;

beforeAll(async () => {
  nester = await startTestNester();
  ({ agent, harvesterId } = await enrolOnlineHarvester(nester, 'terminal', {
    terminal: true,
    args: ['--remote.terminal-shell=/bin/bash'],
  }));
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await nester?.stop();
});

const as = (user: string) => ({ 'x-grafana-user': user });
const text = (session: OpenedSession) => Buffer.concat(session.incoming).toString('utf8');
const type = (session: OpenedSession, input: string) => session.ws.send(Buffer.from(input, 'utf8'), { binary: true });

async function terminalOf(user: string): Promise<OpenedSession> {
  const { status, body } = await nester.api('POST', '/api/v1/sessions/terminal', { harvesterId }, as(user));
  expect(status).toBe(201);
  // openSession asks as alice; redo the hello with this user's ticket.
  const ws = connectBrowser(body.websocketUrl);
  const closed = closeOf(ws);
  const incoming: Buffer[] = [];
  ws.on('message', (data, binary) => binary && incoming.push(data as Buffer));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', ticket: body.ticket })));
    void closed.then(({ code, reason }) => reject(new Error(`closed before ready: ${code} ${reason}`)));
    ws.once('message', (data) => resolve(JSON.parse(messageText(data)) as Record<string, unknown>));
  });
  return { ws, sessionId: body.sessionId, ready, incoming, closed };
}

const live = async (query = `?harvesterId=${harvesterId}`) => {
  const { status, body } = await nester.api('GET', `/api/v1/sessions/live${query}`);
  expect(status).toBe(200);
  return body.sessions as Array<Record<string, unknown>>;
};

test('the live sessions of a harvester name their users, and their byte counts grow', async () => {
  const alice = await openSession(nester, 'terminal', harvesterId);
  const bob = await terminalOf('bob');
  expect(bob.ready).toMatchObject({ user: 'bob' });
  const now = await live();
  expect(now.map((s) => [s.id, s.user, s.kind, s.state])).toEqual(
    expect.arrayContaining([
      [alice.sessionId, 'alice', 'terminal', 'live'],
      [bob.sessionId, 'bob', 'terminal', 'live'],
    ]),
  );
  const before = now.find((s) => s.id === bob.sessionId)!;
  type(bob, 'seq 1 2000\r');
  await eventually(() => text(bob).includes('2000'), 'the output');
  const after = await eventually(async () => {
    const row = (await live()).find((s) => s.id === bob.sessionId)!;
    return (row.bytesToBrowser as number) > (before.bytesToBrowser as number) + 8000 && row;
  }, 'the byte count to grow');
  expect(after.bytesFromBrowser).toBe(Buffer.byteLength('seq 1 2000\r'));
  // Another harvester's filter shows none of them.
  expect(await live('?harvesterId=h_0000000000000000')).toEqual([]);
  alice.ws.close(1000);
  bob.ws.close(1000);
  await Promise.all([alice.closed, bob.closed]);
});

test('an administrator ends a session: the user is told who and why, and it is audited', async () => {
  const bob = await terminalOf('bob');
  const { status, body } = await nester.api(
    'POST',
    `/api/v1/sessions/${bob.sessionId}/end`,
    { reason: 'maintenance window' },
    as('carol'),
  );
  expect(status).toBe(200);
  expect(body).toMatchObject({ id: bob.sessionId, user: 'bob' });
  expect(await bob.closed).toEqual({ code: 4403, reason: 'ended by admin carol: maintenance window' });
  const row = await eventually(async () => {
    const { body: list } = await nester.api('GET', `/api/v1/sessions?user=bob&kind=terminal`);
    return list.sessions.find((s: { id: string; endedAt: string | null }) => s.id === bob.sessionId && s.endedAt);
  }, 'the audit row');
  expect(row).toMatchObject({ endedBy: 'admin', endReason: 'ended by admin carol: maintenance window', endCode: 4403 });
  const { body: events } = await nester.api('GET', `/api/v1/events?event=session-ended-by-admin`);
  expect(events.events[0]).toMatchObject({ actor: 'carol', harvesterId });
  expect(events.events[0].detail).toContain(bob.sessionId);
  expect((await live()).map((s) => s.id)).not.toContain(bob.sessionId);

  // Again: it has ended.
  const again = await nester.api('POST', `/api/v1/sessions/${bob.sessionId}/end`, {}, as('carol'));
  expect(again.status).toBe(404);
});

test('a terminal waiting for a resume is listed as detached, and can be ended too', async () => {
  const alice = await openSession(nester, 'terminal', harvesterId);
  alice.ws.terminate();
  const waiting = await eventually(async () => {
    const row = (await live()).find((s) => s.id === alice.sessionId);
    return row?.state === 'detached' && row;
  }, 'the terminal to wait');
  expect(waiting).toMatchObject({ detachedBecause: 'network dropped' });
  const { status } = await nester.api('POST', `/api/v1/sessions/${alice.sessionId}/end`, {}, as('carol'));
  expect(status).toBe(200);
  const resume = await nester.api('POST', `/api/v1/sessions/terminal/${alice.sessionId}/resume`);
  expect(resume.status).toBe(404);
});

test('fuzz (seeded): end requests and live queries get clear answers and end nothing else', async () => {
  const bystander = await openSession(nester, 'terminal', harvesterId);
  const rng = seeded(17_2026);
  const deadline = Date.now() + 4000;
  for (let i = 0; i < 300 && Date.now() < deadline; i++) {
    const id = rng.chance(0.2) ? `s_${rng.string(16, '0123456789abcdef')}` : randomString(rng);
    let path: string;
    try {
      path = `/api/v1/sessions/${encodeURIComponent(id).slice(0, 1000)}/end`;
    } catch {
      path = '/api/v1/sessions/%ZZ/end';
    }
    const body = rng.chance(0.3) ? { reason: randomJson(rng) } : rng.chance(0.5) ? randomJson(rng) : undefined;
    const { status } = await nester.api('POST', path, body, as('carol'));
    expect([400, 404, 413, 415]).toContain(status); // 413: over 64 KiB, 415: no JSON body
    const query = rng.chance(0.5) ? `?harvesterId=${encodeURIComponent(rng.string(20, 'h_0123456789abcdef%&=?'))}` : '';
    const listed = await nester.api('GET', `/api/v1/sessions/live${query}`);
    expect(listed.status).toBe(200);
  }
  expect((await live()).map((s) => s.id)).toContain(bystander.sessionId);
  type(bystander, 'echo "alive-$((2+3))"\r');
  await eventually(() => text(bystander).includes('alive-5'), 'the bystander still served');
  bystander.ws.close(1000);
  await bystander.closed;
});
