// Joining a desktop (issue #17): another Grafana user watches a live VNC session, view-only. RFB
// is stateful, so the joiner does not get a copy of the owner's stream: the real agent opens one
// more connection to the real x11vnc (-shared) for it, and nester's RFB filter drops its input.
// The owner sees who watches in the live list, the join and leave are audited, the joiner's view
// has an audit row of its own, and it ends when the owner's session ends. The owner may let
// joiners who asked for control use keyboard and pointer (allow-control), and withdraw it.

import { messageText } from '@nester/common/net/ws-message';
import type { EnrolledHarvester } from '@nester/testing/harvester';
import type { Desktop } from '@nester/testing/desktop';
import { seeded } from '@nester/testing/random';
import { eventually } from '@nester/testing/services';
import type WebSocket from 'ws';
import { closeOf, connectBrowser, openSession } from './support/browser';
import { encoded, randomJson, randomString } from './support/fuzz';
import { startDesktopStack, stopDesktopStack } from './support/desktop-stack';
import type { TestNester } from './support/nester';
import { RfbClient } from './support/rfb-client';

let desktop: Desktop;
let nester: TestNester;
let agent: EnrolledHarvester;
let harvesterId: string;

beforeAll(async () => {
  ({ desktop, nester, agent, harvesterId } = await startDesktopStack('desktop join test'));
}, 60_000);

afterAll(() => stopDesktopStack({ desktop, nester, agent }));

const as = (user: string) => ({ 'x-grafana-user': user });

interface Joined {
  ws: WebSocket;
  ready: Record<string, unknown>;
  closed: Promise<{ code: number; reason: string }>;
}

async function requestJoin(sessionId: string, user: string, body: Record<string, unknown> = {}) {
  return nester.api('POST', `/api/v1/sessions/vnc/${sessionId}/join`, body, as(user));
}

/** What the fleet app's Join does for a desktop: a join ticket as `user`, then hello with it. */
async function joinAs(sessionId: string, user: string, control = false): Promise<Joined> {
  const { status, body } = await requestJoin(sessionId, user, control ? { control } : {});
  if (status !== 201) throw new Error(`join refused: ${status} ${JSON.stringify(body)}`);
  expect(body).toMatchObject({ sessionId, kind: 'vnc', viewOnly: !control });
  expect(body.ticket).toMatch(/^j_/);
  const ws = connectBrowser(body.websocketUrl);
  const closed = closeOf(ws);
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', ticket: body.ticket })));
    void closed.then(({ code, reason }) => reject(new Error(`closed before ready: ${code} ${reason}`)));
    ws.once('message', (data) => resolve(JSON.parse(messageText(data))));
  });
  return { ws, ready, closed };
}

function colours(pixels: Buffer): Set<string> {
  const seen = new Set<string>();
  for (let i = 0; i < pixels.length; i += 4) seen.add(`${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`);
  return seen;
}

async function events(event: string) {
  const { body } = await nester.api('GET', `/api/v1/events?event=${event}&harvesterId=${harvesterId}&limit=1000`);
  return body.events as { actor: string | null; detail: string; remoteAddress: string | null }[];
}

const liveSession = async (sessionId: string) => {
  const { body } = await nester.api('GET', `/api/v1/sessions/live?harvesterId=${harvesterId}`, undefined, as('eve'));
  return body.sessions.find((s: { id: string }) => s.id === sessionId);
};

const location = async () => (await desktop.x('xdotool', ['getmouselocation'])).trim();

test('a joiner sees the desktop live; its pointer never reaches it; the owner sees who watches', async () => {
  await desktop.x('xsetroot', ['-solid', '#ff8000']);
  await desktop.x('xdotool', ['mousemove', '3', '4']);
  const owner = await openSession(nester, 'vnc', harvesterId);
  const ownerRfb = new RfbClient(owner.ws);
  await ownerRfb.handshake();

  const bob = await joinAs(owner.sessionId, 'bob');
  expect(bob.ready).toMatchObject({
    type: 'ready',
    sessionId: owner.sessionId,
    kind: 'vnc',
    joined: true,
    viewOnly: true,
    user: 'alice',
  });
  // Bob's own RFB conversation with x11vnc: handshake, pixel format, updates.
  const bobRfb = new RfbClient(bob.ws);
  await bobRfb.handshake();
  expect([bobRfb.width, bobRfb.height]).toEqual([64, 48]);
  expect(colours((await bobRfb.framebuffer()).pixels)).toEqual(new Set(['255,128,0']));
  await desktop.x('xsetroot', ['-solid', '#2040c0']);
  await eventually(
    async () => colours((await bobRfb.framebuffer()).pixels).has('32,64,192'),
    'the new root colour to reach the joiner',
  );

  // Bob clicks and moves; x11vnc handles a client's messages in order, so once his next update
  // arrives his pointer events would have been handled: the pointer has not moved.
  bobRfb.pointer(40, 30, 1);
  bobRfb.pointer(40, 30, 0);
  await bobRfb.framebuffer();
  expect(await location()).toMatch(/^x:3 y:4 /);
  // The owner still can.
  ownerRfb.pointer(20, 10);
  await ownerRfb.framebuffer();
  await eventually(async () => /^x:20 y:10 /.test(await location()), 'the owner to move the pointer');

  // Presence: the owner's session lists bob as a view-only joiner; his view is not listed apart.
  const live = await liveSession(owner.sessionId);
  expect(live.joiners).toEqual([{ user: 'bob', control: false, joinedAt: expect.any(String) }]);
  const { body: all } = await nester.api('GET', `/api/v1/sessions/live?harvesterId=${harvesterId}`);
  expect(all.sessions.map((s: { id: string }) => s.id)).toEqual([owner.sessionId]);

  const joined = (await events('session-joined')).find((e) => e.detail.includes(owner.sessionId))!;
  expect(joined).toMatchObject({ actor: 'bob' });
  expect(joined.detail).toBe(`bob joined desktop ${owner.sessionId} of alice view-only`);

  bob.ws.close(1000);
  await bob.closed;
  await eventually(
    async () => (await events('session-left')).some((e) => e.detail.includes(owner.sessionId)),
    'the leave to be audited',
  );
  const left = (await events('session-left')).find((e) => e.detail.includes(owner.sessionId))!;
  expect(left.detail).toBe(`bob left desktop ${owner.sessionId} of alice (view-only): closed in the browser`);
  expect((await liveSession(owner.sessionId)).joiners).toEqual([]);

  // Bob's view has its own audit row: view-only, his, with the bytes he received.
  const row = await eventually(async () => {
    const { body } = await nester.api('GET', `/api/v1/sessions?harvesterId=${harvesterId}&user=bob&kind=vnc`);
    return body.sessions.find((s: { endedAt: string | null; refused: boolean }) => s.endedAt && !s.refused);
  }, "bob's view row to be completed");
  expect(row).toMatchObject({ viewOnly: true, user: 'bob', endedBy: 'browser' });
  expect(row.bytesToBrowser).toBeGreaterThan(2 * 64 * 48 * 4);

  owner.ws.close(1000);
  await owner.closed;
}, 60_000);

test("joiners end when the owner's desktop ends, with its reason", async () => {
  const owner = await openSession(nester, 'vnc', harvesterId);
  await new RfbClient(owner.ws).handshake();
  const carol = await joinAs(owner.sessionId, 'carol');
  await new RfbClient(carol.ws).handshake();
  const ended = await nester.api('POST', `/api/v1/sessions/${owner.sessionId}/end`, { reason: 'patching' }, as('root'));
  expect(ended.status).toBe(200);
  const words = 'ended by admin root: patching';
  expect(await owner.closed).toEqual({ code: 4403, reason: words });
  expect(await carol.closed).toEqual({ code: 4403, reason: words });
  await eventually(
    async () =>
      (await events('session-left')).some(
        (e) => e.actor === 'carol' && e.detail.endsWith(`the session ended: ${words}`),
      ),
    "carol's leave to be audited with the reason",
  );
  const row = await eventually(async () => {
    const { body } = await nester.api('GET', `/api/v1/sessions?harvesterId=${harvesterId}&user=carol&kind=vnc`);
    return body.sessions.find((s: { endedAt: string | null }) => s.endedAt);
  }, "carol's view row to be completed");
  expect(row.endReason).toBe(`the watched session ended: ${words}`);
}, 60_000);

const allowControl = (sessionId: string, allow: unknown, user = 'alice') =>
  nester.api('POST', `/api/v1/sessions/vnc/${sessionId}/allow-control`, { allow }, as(user));

test('a control joiner moves the pointer while the owner allows it, not after she withdraws', async () => {
  await desktop.x('xdotool', ['mousemove', '7', '8']);
  const owner = await openSession(nester, 'vnc', harvesterId);
  const ownerRfb = new RfbClient(owner.ws);
  await ownerRfb.handshake();
  // Only the owner may allow control, with a boolean.
  expect((await allowControl(owner.sessionId, true, 'bob')).status).toBe(403);
  expect((await allowControl(owner.sessionId, 'yes')).status).toBe(400);
  expect((await allowControl('s_nosuch', true)).status).toBe(404);
  expect((await liveSession(owner.sessionId)).controlAllowed).toBe(false);
  expect((await allowControl(owner.sessionId, true)).status).toBe(204);
  expect((await liveSession(owner.sessionId)).controlAllowed).toBe(true);

  const bob = await joinAs(owner.sessionId, 'bob', true);
  const bobRfb = new RfbClient(bob.ws);
  await bobRfb.handshake();
  const carol = await joinAs(owner.sessionId, 'carol');
  const carolRfb = new RfbClient(carol.ws);
  await carolRfb.handshake();
  expect((await liveSession(owner.sessionId)).joiners).toEqual([
    { user: 'bob', control: true, joinedAt: expect.any(String) },
    { user: 'carol', control: false, joinedAt: expect.any(String) },
  ]);
  // Carol joined view-only: her pointer goes nowhere even while control is allowed.
  carolRfb.pointer(50, 40);
  await carolRfb.framebuffer();
  expect(await location()).toMatch(/^x:7 y:8 /);
  // Bob joined with control: his pointer moves the desktop's.
  bobRfb.pointer(30, 20);
  await bobRfb.framebuffer();
  await eventually(async () => /^x:30 y:20 /.test(await location()), "bob's pointer to move the desktop's");

  // Alice withdraws: from then on his input is dropped (x11vnc handles his messages in order, so
  // once his next update arrives the move would have been made).
  expect((await allowControl(owner.sessionId, false)).status).toBe(204);
  bobRfb.pointer(40, 30);
  await bobRfb.framebuffer();
  expect(await location()).toMatch(/^x:30 y:20 /);
  // Allowed again, it works again on the same connection.
  expect((await allowControl(owner.sessionId, true)).status).toBe(204);
  bobRfb.pointer(12, 14);
  await bobRfb.framebuffer();
  await eventually(async () => /^x:12 y:14 /.test(await location()), "bob's pointer to move it again");

  const audited = (await events('session-control-allowed'))
    .filter((e) => e.detail.includes(owner.sessionId))
    .map((e) => [e.actor, e.detail]);
  expect(audited).toEqual(
    expect.arrayContaining([
      ['alice', `alice allowed joiners of desktop ${owner.sessionId} to use keyboard and pointer`],
      ['alice', `alice withdrew control of desktop ${owner.sessionId} from joiners`],
    ]),
  );
  expect(audited).toHaveLength(3);
  const joined = (await events('session-joined')).find((e) => e.actor === 'bob' && e.detail.includes(owner.sessionId))!;
  expect(joined.detail).toBe(`bob joined desktop ${owner.sessionId} of alice with control`);
  owner.ws.close(1000);
  await owner.closed;
  await bob.closed;
  await carol.closed;
}, 60_000);

test('desktop joins: control only when allowed, at the desktop path, never by its owner, only while it runs', async () => {
  const owner = await openSession(nester, 'vnc', harvesterId);
  await new RfbClient(owner.ws).handshake();
  const control = await requestJoin(owner.sessionId, 'dave', { control: true });
  expect(control.status).toBe(403);
  expect(control.body.error).toMatch(/alice has not allowed control/);
  const wrongPath = await nester.api('POST', `/api/v1/sessions/terminal/${owner.sessionId}/join`, {}, as('dave'));
  expect(wrongPath.status).toBe(409);
  expect(wrongPath.body.error).toMatch(/is a desktop; join it at \/api\/v1\/sessions\/vnc\//);
  const own = await requestJoin(owner.sessionId, 'alice');
  expect(own.status).toBe(409);
  // Refusals are audited like refused session requests.
  const { body: refusals } = await nester.api('GET', '/api/v1/sessions?user=dave');
  const refused = refusals.sessions.find((s: { endReason: string }) => /not allowed control/.test(s.endReason));
  expect(refused).toMatchObject({ refused: true, kind: 'vnc', viewOnly: false, harvesterId });
  expect(refused.endReason).toMatch(/^join refused: alice has not allowed control/);
  owner.ws.close(1000);
  await owner.closed;
  const gone = await requestJoin(owner.sessionId, 'dave');
  expect(gone.status).toBe(404);
}, 60_000);

test('fuzz (seeded): desktop join requests and joiner garbage change nothing for the owner', async () => {
  await desktop.x('xdotool', ['mousemove', '5', '6']);
  const owner = await openSession(nester, 'vnc', harvesterId);
  const ownerRfb = new RfbClient(owner.ws);
  await ownerRfb.handshake();
  const rng = seeded(20261204);
  const deadline = Date.now() + 4000;
  for (let i = 0; i < 150 && Date.now() < deadline; i++) {
    const id = rng.chance(0.3) ? owner.sessionId : randomString(rng);
    const user = rng.chance(0.3) ? 'bob' : randomString(rng);
    const path = `/api/v1/sessions/vnc/${encoded(id).slice(0, 2000)}/${rng.chance(0.5) ? 'join' : 'allow-control'}`;
    const headers: Record<string, string> = encoded(user) ? { 'x-grafana-user': encoded(user).slice(0, 500) } : {};
    const body = rng.chance(0.7) ? randomJson(rng) : undefined;
    const { status } = await nester.api('POST', path, body, headers);
    expect([201, 204, 400, 401, 403, 404, 409, 413, 415, 429]).toContain(status);
  }
  // A joiner that speaks RFB and then sends garbage: its input is dropped or its view is ended
  // (a message view-only cannot frame), never forwarded; the owner's session goes on.
  const bob = await joinAs(owner.sessionId, 'bob');
  await new RfbClient(bob.ws).handshake();
  for (let i = 0; i < 50 && bob.ws.readyState === bob.ws.OPEN; i++) {
    const garbage = rng.chance(0.5)
      ? Buffer.from([5, rng.int(256), 0, rng.int(64), 0, rng.int(48)]) // pointer events: dropped
      : rng.bytes(rng.between(1, 256));
    bob.ws.send(garbage, { binary: true });
  }
  if (bob.ws.readyState === bob.ws.OPEN) bob.ws.close(1000);
  await bob.closed;
  await ownerRfb.framebuffer();
  expect(await location()).toMatch(/^x:5 y:6 /);
  ownerRfb.pointer(1, 1);
  await ownerRfb.framebuffer();
  await eventually(async () => /^x:1 y:1 /.test(await location()), 'the owner to move the pointer after the fuzz');
  expect((await liveSession(owner.sessionId)).state).toBe('live');
  owner.ws.close(1000);
  await owner.closed;
}, 60_000);
