// Resume: a terminal survives a reload (the tab's socket closes with 1001) or a dropped network
// (no close frame): the real pty keeps running on the real agent, the same Grafana user asks for a
// fresh one-time ticket and gets the same shell back with the recent output replayed. Another user
// cannot; a ticket works once; after the resume window the session ends and says why.

import { messageText } from '@nester/common/net/ws-message';
import { seeded } from '@nester/testing/random';
import { eventually } from '@nester/testing/services';
import type { EnrolledHarvester } from '@nester/testing/harvester';
import { userInfo } from 'node:os';
import WebSocket from 'ws';
import { randomJson, randomString } from './support/fuzz';
import { closeOf, connectBrowser, type OpenedSession, openSession } from './support/browser';
import { enrolOnlineHarvester, startTestNester, type TestNester } from './support/nester';

let nester: TestNester;
let agent: EnrolledHarvester;
let harvesterId: string;

beforeAll(async () => {
  // A short resume window, so the test can also see one run out.
  nester = await startTestNester({}, { resumeWindowMs: 4000, scrollbackBytes: 16 * 1024 });
  ({ agent, harvesterId } = await enrolOnlineHarvester(nester, 'terminal', {
    terminal: true,
    args: ['--remote.terminal-shell=/bin/bash'],
  }));
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await nester?.stop();
});

const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');
const type = (ws: WebSocket, input: string) => ws.send(Buffer.from(input, 'utf8'), { binary: true });

interface Resumed {
  ws: WebSocket;
  ready: Record<string, unknown>;
  incoming: Buffer[];
  closed: Promise<{ code: number; reason: string }>;
}

/** What the fleet app does after a reload: ask for a resume ticket, then hello with it. */
async function resume(sessionId: string, user = 'alice'): Promise<Resumed> {
  const { status, body } = await nester.api('POST', `/api/v1/sessions/terminal/${sessionId}/resume`, undefined, {
    'x-grafana-user': user,
  });
  if (status !== 201) throw new Error(`resume refused: ${status} ${JSON.stringify(body)}`);
  expect(body).toMatchObject({ sessionId, kind: 'terminal' });
  return helloWith(body.ticket, body.websocketUrl);
}

async function helloWith(ticket: string, url: string): Promise<Resumed> {
  const ws = connectBrowser(url);
  const closed = closeOf(ws);
  const incoming: Buffer[] = [];
  // Listening from the start: the replay follows ready in the same read.
  ws.on('message', (data, binary) => binary && incoming.push(data as Buffer));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', ticket, cols: 90, rows: 30 })));
    void closed.then(({ code, reason }) => reject(new Error(`closed before ready: ${code} ${reason}`)));
    ws.once('message', (data) => resolve(JSON.parse(messageText(data))));
  });
  return { ws, ready, incoming, closed };
}

const row = async (sessionId: string) => {
  const { body } = await nester.api('GET', `/api/v1/sessions?harvesterId=${harvesterId}&kind=terminal&limit=1000`);
  return body.sessions.find((s: { id: string }) => s.id === sessionId);
};

async function started(): Promise<OpenedSession> {
  const session = await openSession(nester, 'terminal', harvesterId, { cols: 80, rows: 24 });
  expect(session.ready).toMatchObject({ user: 'alice', resumed: false, resumeWindowMs: 4000 });
  type(session.ws, 'MARK=kept-$((40+2)); echo "before-$((1+1))"\r');
  await eventually(() => text(session.incoming).includes('before-2'), 'the first command', 10_000);
  return session;
}

test('after a reload the same shell comes back with its recent output, and resuming is audited', async () => {
  const session = await started();
  session.ws.close(1001); // what a tab does when it is reloaded or closed
  expect((await session.closed).code).toBe(1001);
  // The pty is kept: the session is still open in the audit.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect((await row(session.sessionId)).endedAt).toBeNull();

  const back = await resume(session.sessionId);
  // It says which account the shell runs as (a fresh session heard it in a `started` frame).
  expect(back.ready).toMatchObject({
    type: 'ready',
    sessionId: session.sessionId,
    resumed: true,
    runsAs: userInfo().username,
  });
  await eventually(() => text(back.incoming).includes('before-2'), 'the replayed screen', 10_000);
  // The same shell: its variable is still set; and the new size reached the pty.
  type(back.ws, 'echo "mark=$MARK cols=$(tput cols)"\r');
  await eventually(() => text(back.incoming).includes('mark=kept-42 cols=90'), 'the same shell', 10_000);

  const { body } = await nester.api('GET', `/api/v1/events?event=session-resumed&harvesterId=${harvesterId}`);
  expect(body.events[0]).toMatchObject({ actor: 'alice', harvesterId });
  expect(body.events[0].detail).toContain(session.sessionId);
  expect(body.events[0].detail).toContain('closed the browser tab');

  back.ws.close(1000);
  await back.closed;
  await eventually(async () => (await row(session.sessionId)).endedAt, 'the session to end');
  expect(await row(session.sessionId)).toMatchObject({
    endReason: 'closed in the browser',
    endedBy: 'browser',
    endCode: 1000,
  });
}, 60_000);

test('a dropped network (no close frame) can be resumed; a resume takes over a socket still open', async () => {
  const session = await started();
  session.ws.terminate();
  const back = await resume(session.sessionId);
  expect(back.ready).toMatchObject({ resumed: true });
  type(back.ws, 'echo "again-$MARK"\r');
  await eventually(() => text(back.incoming).includes('again-kept-42'), 'the same shell', 10_000);

  // A second window of the same user takes it over; the first is told where it went.
  const other = await resume(session.sessionId);
  expect(await back.closed).toMatchObject({ code: 4001 });
  type(other.ws, 'echo "third-$MARK"\r');
  await eventually(() => text(other.incoming).includes('third-kept-42'), 'the same shell again', 10_000);
  other.ws.close(1000);
  await other.closed;
}, 60_000);

test('only the same user may resume, and a resume ticket works once', async () => {
  const session = await started();
  session.ws.close(1001);
  await session.closed;

  const bob = await nester.api('POST', `/api/v1/sessions/terminal/${session.sessionId}/resume`, undefined, {
    'x-grafana-user': 'bob',
  });
  expect(bob.status).toBe(403);
  expect(bob.body.error).toMatch(/only the user who opened it can resume it/);
  const nobody = await nester.api('POST', `/api/v1/sessions/terminal/${session.sessionId}/resume`, undefined, {
    'x-grafana-user': '',
  });
  expect(nobody.status).toBe(401);
  // Bob's attempt is in the audit as a refusal.
  const { body } = await nester.api('GET', `/api/v1/sessions?user=bob`);
  expect(body.sessions[0]).toMatchObject({ refused: true, harvesterId, user: 'bob' });
  expect(body.sessions[0].endReason).toMatch(/^resume refused: .*belongs to another user/);

  const issued = await nester.api('POST', `/api/v1/sessions/terminal/${session.sessionId}/resume`);
  expect(issued.status).toBe(201);
  const first = await helloWith(issued.body.ticket, issued.body.websocketUrl);
  expect(first.ready).toMatchObject({ resumed: true });
  const replay = connectBrowser(issued.body.websocketUrl);
  replay.once('open', () => replay.send(JSON.stringify({ type: 'hello', ticket: issued.body.ticket })));
  expect(await closeOf(replay)).toEqual({ code: 4401, reason: 'ticket already used' });
  // The replay did not disturb the session it named.
  type(first.ws, 'echo "still-$MARK"\r');
  await eventually(() => text(first.incoming).includes('still-kept-42'), 'the resumed shell', 10_000);
  first.ws.close(1000);
  await first.closed;
}, 60_000);

test('after the resume window the terminal ends and says why; resuming then says it has ended', async () => {
  const session = await started();
  session.ws.terminate();
  const ended = await eventually(
    async () => {
      const r = await row(session.sessionId);
      return r.endedAt && r;
    },
    'the resume window to run out',
    20_000,
  );
  expect(ended).toMatchObject({
    endReason: 'network dropped; not resumed within 4 s',
    endedBy: 'browser',
    endCode: 1000,
  });
  const late = await nester.api('POST', `/api/v1/sessions/terminal/${session.sessionId}/resume`);
  expect(late.status).toBe(404);
  expect(late.body.error).toMatch(/has ended/);
}, 60_000);

test('a desktop or a deliberate close is not kept: closing with 1000 ends the terminal at once', async () => {
  const session = await started();
  session.ws.close(1000);
  await session.closed;
  await eventually(async () => (await row(session.sessionId)).endedAt, 'the session to end');
  const late = await nester.api('POST', `/api/v1/sessions/terminal/${session.sessionId}/resume`);
  expect(late.status).toBe(404);
}, 60_000);

const encoded = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '';
  }
};

test('fuzz (seeded): resume requests and resume hellos get a clear refusal; the session survives them', async () => {
  // Left attached: the fuzz runs longer than this nester's resume window, and a resume takes an
  // attached terminal over just the same.
  const session = await started();
  const rng = seeded(20261203);
  const deadline = Date.now() + 4000;
  for (let i = 0; i < 200 && Date.now() < deadline; i++) {
    // The session id in the path, and who Grafana says is calling.
    const id = rng.chance(0.3) ? session.sessionId : randomString(rng);
    const user = rng.chance(0.3) ? 'alice' : randomString(rng);
    const path = `/api/v1/sessions/terminal/${encoded(id).slice(0, 2000)}/resume`;
    // A lone surrogate cannot be encoded: Grafana would send no user then.
    const headers: Record<string, string> = encoded(user) ? { 'x-grafana-user': encoded(user).slice(0, 500) } : {};
    const body = rng.chance(0.5) ? randomJson(rng) : undefined;
    const { status } = await nester.api('POST', path, body, headers);
    expect([201, 400, 401, 403, 404, 409]).toContain(status);
  }
  // Hellos with made-up resume tickets (and other JSON) on the browser socket.
  for (let i = 0; i < 40; i++) {
    const ws = connectBrowser(`${nester.url.replace('http', 'ws')}/ws/session`);
    const closed = closeOf(ws);
    const ticket = rng.chance(0.7)
      ? `r_${rng.string(rng.between(0, 20), '0123456789abcdef._-')}.${randomString(rng)}`
      : randomJson(rng);
    ws.once('open', () =>
      ws.send(JSON.stringify({ type: 'hello', ticket, cols: randomJson(rng), rows: randomJson(rng) })),
    );
    const { code } = await closed;
    expect([4400, 4401]).toContain(code);
  }
  // The terminal is still there for its user (unused resume tickets ended nothing).
  const back = await resume(session.sessionId);
  expect(await session.closed).toMatchObject({ code: 4001 });
  type(back.ws, 'echo "after-fuzz-$MARK"\r');
  await eventually(() => text(back.incoming).includes('after-fuzz-kept-42'), 'the resumed shell', 10_000);
  back.ws.close(1000);
  await back.closed;
}, 60_000);
