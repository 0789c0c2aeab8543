// Joining a terminal (issue #17): another Grafana user watches a running shell on the real agent.
// The pty's output fans out to the joiner, who first gets the recent screen; the joiner's typing is
// dropped (it never reaches the shell) unless they asked for control and the owner allows it. A
// join ticket is one-time, short-lived and bound to its joiner; every join and leave is audited;
// when the owner's session ends, joiners see it end with the reason.

import { messageText } from '@nester/common/net/ws-message';
import { seeded } from '@nester/testing/random';
import { eventually } from '@nester/testing/services';
import type { EnrolledHarvester } from '@nester/testing/harvester';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { encoded, randomJson, randomString } from './support/fuzz';
import { closeOf, connectBrowser, type OpenedSession, openSession } from './support/browser';
import { enrolOnlineHarvester, GRAFANA_ORIGIN, startTestNester, type TestNester } from './support/nester';

let nester: TestNester;
let agent: EnrolledHarvester;
let harvesterId: string;
let scratch: string;

beforeAll(async () => {
  // Short tickets, so a test can see a join ticket expire; pings often enough to see a joiner go.
  nester = await startTestNester({}, { ticketTtlMs: 5000, pingIntervalMs: 3000 });
  ({ agent, harvesterId } = await enrolOnlineHarvester(nester, 'terminal', {
    terminal: true,
    args: ['--remote.terminal-shell=/bin/bash'],
  }));
  scratch = mkdtempSync(join(tmpdir(), 'nester-join-'));
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await nester?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');
const type = (ws: WebSocket, input: string) => ws.send(Buffer.from(input, 'utf8'), { binary: true });
const as = (user: string) => ({ 'x-grafana-user': user });
/**
 * Resolves once nester has handled every frame sent on `ws` so far (it answers a ping in order),
 * so what it forwarded reached the agent before anything sent after this.
 */
const handled = (ws: WebSocket) =>
  new Promise<void>((resolve) => {
    ws.once('pong', () => resolve());
    ws.ping();
  });

interface Joined {
  ws: WebSocket;
  ready: Record<string, unknown>;
  incoming: Buffer[];
  controls: Record<string, unknown>[];
  closed: Promise<{ code: number; reason: string }>;
}

/** What the fleet app's Join does: ask for a join ticket as `user`, then hello with it. */
async function requestJoin(sessionId: string, user: string, body: Record<string, unknown> = {}) {
  return nester.api('POST', `/api/v1/sessions/terminal/${sessionId}/join`, body, as(user));
}

async function joinAs(sessionId: string, user: string, control = false): Promise<Joined> {
  const { status, body } = await requestJoin(sessionId, user, control ? { control: true } : {});
  if (status !== 201) throw new Error(`join refused: ${status} ${JSON.stringify(body)}`);
  expect(body).toMatchObject({ sessionId, kind: 'terminal', viewOnly: !control });
  expect(body.ticket).toMatch(/^j_/);
  return helloWith(body.ticket, body.websocketUrl);
}

async function helloWith(ticket: string, url: string, ws = connectBrowser(url)): Promise<Joined> {
  const closed = closeOf(ws);
  const incoming: Buffer[] = [];
  const controls: Record<string, unknown>[] = [];
  // Listening from the start: the recent screen follows ready in the same read.
  ws.on('message', (data, binary) =>
    binary ? incoming.push(data as Buffer) : controls.push(JSON.parse(messageText(data))),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', ticket, cols: 100, rows: 40 })));
    void closed.then(({ code, reason }) => reject(new Error(`closed before ready: ${code} ${reason}`)));
    ws.once('message', () => resolve());
  });
  return { ws, ready: controls[0], incoming, controls, closed };
}

/** The owner's session, with output the joiner must see replayed. */
async function started(): Promise<OpenedSession & { controls: Record<string, unknown>[] }> {
  const session = await openSession(nester, 'terminal', harvesterId, { cols: 80, rows: 24 });
  const controls: Record<string, unknown>[] = [];
  session.ws.on('message', (data, binary) => !binary && controls.push(JSON.parse(messageText(data))));
  type(session.ws, 'echo "owner-$((20+1))"\r');
  await eventually(() => text(session.incoming).includes('owner-21'), 'the owner command', 10_000);
  return { ...session, controls };
}

async function events(event: string) {
  const { body } = await nester.api('GET', `/api/v1/events?event=${event}&harvesterId=${harvesterId}&limit=1000`);
  return body.events as { actor: string | null; detail: string; remoteAddress: string | null }[];
}

const liveSession = async (sessionId: string) => {
  const { body } = await nester.api('GET', `/api/v1/sessions/live?harvesterId=${harvesterId}`, undefined, as('eve'));
  return body.sessions.find((s: { id: string }) => s.id === sessionId);
};

test('a view-only joiner sees the recent screen and the output; its typing never reaches the shell', async () => {
  const owner = await started();
  const bob = await joinAs(owner.sessionId, 'bob');
  expect(bob.ready).toMatchObject({
    type: 'ready',
    sessionId: owner.sessionId,
    kind: 'terminal',
    joined: true,
    viewOnly: true,
    user: 'alice',
  });
  // The recent screen first, from nester's scrollback.
  await eventually(() => text(bob.incoming).includes('owner-21'), 'the replayed screen', 10_000);

  // Bob types a command that would leave a file behind; the owner then shows it did not run.
  const marker = join(scratch, 'bob-was-here');
  const bytesBefore = (await liveSession(owner.sessionId)).bytesFromBrowser;
  type(bob.ws, `touch ${marker}; echo "bob-$((3*3))"\r`);
  await handled(bob.ws);
  const ownerInput = 'echo "after-$((5+5))"\r';
  type(owner.ws, ownerInput);
  // Both see the owner's output, live.
  await eventually(() => text(owner.incoming).includes('after-10'), 'the owner output', 10_000);
  await eventually(() => text(bob.incoming).includes('after-10'), 'the fanned-out output', 10_000);
  expect(existsSync(marker)).toBe(false);
  expect(text(owner.incoming)).not.toContain('bob-9');
  expect(text(bob.incoming)).not.toContain('bob-9');
  // Bob's bytes are not counted as the session's input either: only the owner's are.
  expect((await liveSession(owner.sessionId)).bytesFromBrowser).toBe(bytesBefore + Buffer.byteLength(ownerInput));

  // Presence: the live list names bob as a view-only joiner, and the owner is told.
  expect((await liveSession(owner.sessionId)).joiners).toEqual([
    { user: 'bob', control: false, joinedAt: expect.any(String) },
  ]);
  await eventually(
    () => owner.controls.some((c) => c.type === 'joiners' && JSON.stringify(c.joiners).includes('"bob"')),
    'the owner to hear who joined',
  );

  const joinedEvents = await eventually(async () => {
    const audited = await events('session-joined');
    return audited.length ? audited : undefined;
  }, 'the join to be audited');
  expect(joinedEvents[0]).toMatchObject({ actor: 'bob' });
  expect(joinedEvents[0].detail).toBe(`bob joined terminal ${owner.sessionId} of alice view-only`);
  expect(joinedEvents[0].remoteAddress).toMatch(/127\.0\.0\.1/);

  bob.ws.close(1000);
  await bob.closed;
  await eventually(
    async () => (await events('session-left')).some((e) => e.detail.includes(owner.sessionId)),
    'the leave to be audited',
  );
  const left = (await events('session-left')).find((e) => e.detail.includes(owner.sessionId))!;
  expect(left).toMatchObject({ actor: 'bob' });
  expect(left.detail).toBe(`bob left terminal ${owner.sessionId} of alice (view-only): closed in the browser`);
  expect((await liveSession(owner.sessionId)).joiners).toEqual([]);

  owner.ws.close(1000);
  await owner.closed;
}, 60_000);

test('with control: only when the owner allows it, and only while they do', async () => {
  const owner = await started();
  // Not allowed yet: a control join is refused (and audited), view-only still works.
  const early = await requestJoin(owner.sessionId, 'carol', { control: true });
  expect(early.status).toBe(403);
  expect(early.body.error).toMatch(/alice has not allowed control/);
  const { body: refusals } = await nester.api('GET', '/api/v1/sessions?user=carol');
  expect(refusals.sessions[0]).toMatchObject({ refused: true, user: 'carol', harvesterId });
  expect(refusals.sessions[0].endReason).toMatch(/^join refused: alice has not allowed control/);

  owner.ws.send(JSON.stringify({ type: 'allow-control', allow: true }));
  await eventually(async () => (await liveSession(owner.sessionId)).controlAllowed, 'control to be allowed');
  const carol = await joinAs(owner.sessionId, 'carol', true);
  expect(carol.ready).toMatchObject({ joined: true, viewOnly: false });
  type(carol.ws, 'echo "carol-$((6*7))"\r');
  await eventually(() => text(owner.incoming).includes('carol-42'), "carol's command in the shell", 10_000);
  await eventually(() => text(carol.incoming).includes('carol-42'), "carol's command echoed to her", 10_000);

  // The owner withdraws control: carol's typing is dropped again.
  owner.ws.send(JSON.stringify({ type: 'allow-control', allow: false }));
  await eventually(async () => !(await liveSession(owner.sessionId)).controlAllowed, 'control to be withdrawn');
  const marker = join(scratch, 'carol-after-withdrawal');
  type(carol.ws, `touch ${marker}\r`);
  await handled(carol.ws);
  type(owner.ws, 'echo "owner-$((50+5))"\r');
  await eventually(() => text(carol.incoming).includes('owner-55'), 'the owner output', 10_000);
  expect(existsSync(marker)).toBe(false);

  const allowed = await eventually(async () => {
    const audited = await events('session-control-allowed');
    return audited[0]?.detail.includes('withdrew') ? audited : undefined;
  }, 'the withdrawal to be audited');
  expect(allowed.slice(0, 2).map((e) => e.detail)).toEqual([
    `alice withdrew control of terminal ${owner.sessionId} from joiners`,
    `alice allowed joiners of terminal ${owner.sessionId} to type`,
  ]);
  const joined = (await events('session-joined')).find((e) => e.actor === 'carol')!;
  expect(joined.detail).toBe(`carol joined terminal ${owner.sessionId} of alice with control`);

  owner.ws.close(1000);
  await owner.closed;
  await carol.closed;
}, 60_000);

test('when the owner session ends, joiners see it ended with the reason', async () => {
  const owner = await started();
  const bob = await joinAs(owner.sessionId, 'bob');
  const ended = await nester.api(
    'POST',
    `/api/v1/sessions/${owner.sessionId}/end`,
    { reason: 'maintenance window' },
    as('root-admin'),
  );
  expect(ended.status).toBe(200);
  const words = 'ended by admin root-admin: maintenance window';
  expect(await owner.closed).toEqual({ code: 4403, reason: words });
  expect(await bob.closed).toEqual({ code: 4403, reason: words });
  await eventually(
    async () =>
      (await events('session-left')).some((e) => e.actor === 'bob' && e.detail.endsWith(`the session ended: ${words}`)),
    "bob's leave to be audited with the reason",
  );

  // The shell exiting ends it for joiners too, with the exit frame first.
  const second = await started();
  const dave = await joinAs(second.sessionId, 'dave');
  type(second.ws, 'exit 3\r');
  const closed = await dave.closed;
  expect(closed.code).toBe(1000);
  expect(closed.reason).toMatch(/exited with code 3/);
  expect(dave.controls).toContainEqual({ type: 'exit', code: 3 });
}, 60_000);

test('join tickets: one-time, short-lived, for running terminals, refused to the owner and without a user', async () => {
  const owner = await started();
  const issued = await requestJoin(owner.sessionId, 'bob');
  expect(issued.status).toBe(201);
  const first = await helloWith(issued.body.ticket, issued.body.websocketUrl);
  // Replayed: refused, and the session it named goes on.
  const replay = connectBrowser(issued.body.websocketUrl);
  replay.once('open', () => replay.send(JSON.stringify({ type: 'hello', ticket: issued.body.ticket })));
  expect(await closeOf(replay)).toEqual({ code: 4401, reason: 'ticket already used' });
  // A forged secret on a real ticket id.
  const forged = connectBrowser(issued.body.websocketUrl);
  const [id] = (issued.body.ticket as string).split('.');
  forged.once('open', () => forged.send(JSON.stringify({ type: 'hello', ticket: `${id}.${'A'.repeat(43)}` })));
  expect(await closeOf(forged)).toEqual({ code: 4401, reason: 'wrong ticket' });
  // A join ticket is not a resume or open ticket, and the other way round.
  const resumeLike = connectBrowser(issued.body.websocketUrl);
  resumeLike.once('open', () =>
    resumeLike.send(JSON.stringify({ type: 'hello', ticket: `r_${(issued.body.ticket as string).slice(2)}` })),
  );
  expect((await closeOf(resumeLike)).code).toBe(4401);

  // Expired: the ticket lives --relay.ticket-ttl (5 s here).
  const late = await requestJoin(owner.sessionId, 'bob');
  await new Promise((resolve) => setTimeout(resolve, Date.parse(late.body.expiresAt) - Date.now() + 200));
  const stale = connectBrowser(late.body.websocketUrl);
  stale.once('open', () => stale.send(JSON.stringify({ type: 'hello', ticket: late.body.ticket })));
  expect(await closeOf(stale)).toEqual({ code: 4401, reason: 'ticket expired' });
  // The refusal is written after the close frame is sent: wait for its row.
  await eventually(async () => {
    const { body } = await nester.api('GET', '/api/v1/sessions?user=bob&limit=20');
    const reasons = new Set(
      body.sessions.filter((s: { refused: boolean }) => s.refused).map((s: { endReason: string }) => s.endReason),
    );
    return reasons.has('ticket already used') && reasons.has('ticket expired') ? true : undefined;
  }, "bob's refused tickets in the session list");

  // Who may ask: a Grafana user other than the owner; the owner resumes instead.
  const own = await requestJoin(owner.sessionId, 'alice');
  expect(own.status).toBe(409);
  expect(own.body.error).toMatch(/your own; resume it/);
  const nobody = await requestJoin(owner.sessionId, '');
  expect(nobody.status).toBe(401);
  expect((await requestJoin('s_doesnotexist', 'bob')).status).toBe(404);
  expect((await requestJoin(owner.sessionId, 'bob', { control: 'yes' })).status).toBe(400);

  // The joiner's name is bob's (the ticket's), whoever carries it.
  expect((await liveSession(owner.sessionId)).joiners.map((j: { user: string }) => j.user)).toEqual(['bob']);
  first.ws.close(1000);
  owner.ws.close(1000);
  await owner.closed;
  // Ended: no join.
  await eventually(async () => !(await liveSession(owner.sessionId)), 'the session to end');
  expect((await requestJoin(owner.sessionId, 'bob')).status).toBe(404);
}, 60_000);

test('a join from a foreign or missing Origin is refused at the upgrade', async () => {
  const owner = await started();
  for (const origin of ['https://evil.example', null]) {
    const issued = await requestJoin(owner.sessionId, 'bob');
    const ws = connectBrowser(issued.body.websocketUrl, origin);
    ws.on('error', () => {});
    const refused = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => resolve(101));
    });
    ws.terminate();
    expect(refused).toBe(403);
    // The ticket was never spent: from the right Origin it still works.
    const ok = await helloWith(issued.body.ticket, issued.body.websocketUrl);
    expect(ok.ready).toMatchObject({ joined: true });
    ok.ws.close(1000);
    await ok.closed;
  }
  owner.ws.close(1000);
  await owner.closed;
}, 60_000);

test('fuzz (seeded): join requests and join hellos get a clear refusal; the session survives them', async () => {
  const owner = await started();
  const rng = seeded(20261217);
  const deadline = Date.now() + 4000;
  for (let i = 0; i < 200 && Date.now() < deadline; i++) {
    const id = rng.chance(0.3) ? owner.sessionId : randomString(rng);
    const user = rng.chance(0.3) ? 'bob' : randomString(rng);
    const path = `/api/v1/sessions/terminal/${encoded(id).slice(0, 2000)}/join`;
    const headers: Record<string, string> = encoded(user) ? as(encoded(user).slice(0, 500)) : {};
    const body = rng.chance(0.7) ? randomJson(rng) : undefined;
    const { status } = await nester.api('POST', path, body, headers);
    expect([201, 400, 401, 403, 404, 409, 413, 415]).toContain(status);
  }
  for (let i = 0; i < 40; i++) {
    const ws = connectBrowser(`${nester.url.replace('http', 'ws')}/ws/session`);
    const closed = closeOf(ws);
    const ticket = rng.chance(0.7)
      ? `j_${rng.string(rng.between(0, 20), '0123456789abcdef._-')}.${randomString(rng)}`
      : randomJson(rng);
    ws.once('open', () =>
      ws.send(JSON.stringify({ type: 'hello', ticket, cols: randomJson(rng), rows: randomJson(rng) })),
    );
    const { code } = await closed;
    expect([4400, 4401]).toContain(code);
  }
  // A joiner sending garbage (binary and text frames) changes nothing for the owner.
  const bob = await joinAs(owner.sessionId, 'bob');
  for (let i = 0; i < 50; i++) {
    if (rng.chance(0.5)) bob.ws.send(Buffer.from(rng.bytes(rng.between(0, 512))), { binary: true });
    else bob.ws.send(JSON.stringify(rng.chance(0.5) ? { type: 'allow-control', allow: true } : randomJson(rng)));
  }
  expect((await liveSession(owner.sessionId)).controlAllowed).toBe(false);
  type(owner.ws, 'echo "after-fuzz-$((8*8))"\r');
  await eventually(() => text(owner.incoming).includes('after-fuzz-64'), 'the shell after the fuzz', 10_000);
  await eventually(() => text(bob.incoming).includes('after-fuzz-64'), 'the joiner after the fuzz', 10_000);
  const health = await fetch(`${nester.url}/healthz`);
  expect(health.status).toBe(200);
  owner.ws.close(1000);
  await owner.closed;
}, 60_000);

test('a watched terminal is recorded once, and its recording downloads as asciicast v2', async () => {
  const owner = await started();
  const bob = await joinAs(owner.sessionId, 'bob');
  type(owner.ws, 'echo "recorded-$((7*6))"\r');
  await eventually(() => text(bob.incoming).includes('recorded-42'), 'the output', 10_000);
  owner.ws.close(1000);
  await bob.closed;

  // What the app's "Download (.cast)" fetches: the authenticated recording endpoint.
  const response = await fetch(`${nester.url}/api/v1/recordings/${owner.sessionId}`, {
    headers: { authorization: `Bearer ${nester.apiToken}`, 'x-grafana-user': 'bob' },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/x-asciicast');
  // Named for the machine and the session (the agent's hostname, made safe for a file name).
  expect(response.headers.get('content-disposition')).toMatch(
    new RegExp(`^attachment; filename="[A-Za-z0-9][A-Za-z0-9._-]*-${owner.sessionId}\\.cast"$`),
  );
  const lines = (await response.text()).split('\n').filter((line) => line !== '');
  const header = JSON.parse(lines[0]);
  expect(header).toMatchObject({ version: 2, width: 80, height: 24 });
  const events = lines.slice(1).map((line) => JSON.parse(line) as [number, string, string]);
  expect(events.length).toBeGreaterThan(0);
  for (const [time, code, data] of events) {
    expect(typeof time).toBe('number');
    expect(['o', 'r']).toContain(code);
    expect(typeof data).toBe('string');
  }
  const output = events
    .filter(([, code]) => code === 'o')
    .map(([, , data]) => data)
    .join('');
  // Once, though two people watched it.
  expect(output.split('recorded-42').length - 1).toBe(1);
  // Without the API token: no recording.
  const anonymous = await fetch(`${nester.url}/api/v1/recordings/${owner.sessionId}`);
  expect(anonymous.status).toBe(401);
}, 60_000);

test('a joiner whose network dropped silently is let go; an owner back from a resume hears who watches', async () => {
  const owner = await started();
  const bob = await joinAs(owner.sessionId, 'bob');
  // Erin's connection answers no ping (a network gone without a close frame).
  const issued = await requestJoin(owner.sessionId, 'erin');
  const silent = new WebSocket(issued.body.websocketUrl, {
    headers: { origin: GRAFANA_ORIGIN },
    perMessageDeflate: false,
    autoPong: false,
  });
  const erin = await helloWith(issued.body.ticket, issued.body.websocketUrl, silent);
  expect((await liveSession(owner.sessionId)).joiners.map((j: { user: string }) => j.user)).toEqual(['bob', 'erin']);
  await erin.closed;
  await eventually(
    async () =>
      (await events('session-left')).some(
        (e) => e.actor === 'erin' && e.detail.endsWith(`${owner.sessionId} of alice (view-only): network dropped`),
      ),
    "erin's leave to be audited",
    20_000,
  );
  expect((await liveSession(owner.sessionId)).joiners.map((j: { user: string }) => j.user)).toEqual(['bob']);

  // Alice reloads: the shell goes on for bob, and her new socket is told he is there.
  owner.ws.close(1001);
  await owner.closed;
  const resumed = await nester.api('POST', `/api/v1/sessions/terminal/${owner.sessionId}/resume`);
  expect(resumed.status).toBe(201);
  const back = await helloWith(resumed.body.ticket, resumed.body.websocketUrl);
  expect(back.ready).toMatchObject({ resumed: true });
  await eventually(
    () => back.controls.some((c) => c.type === 'joiners' && JSON.stringify(c.joiners).includes('"bob"')),
    'the resumed owner to hear who watches',
  );
  type(back.ws, 'echo "back-$((9*9))"\r');
  await eventually(() => text(bob.incoming).includes('back-81'), 'bob to see the resumed shell', 10_000);
  back.ws.close(1000);
  await bob.closed;
}, 60_000);
