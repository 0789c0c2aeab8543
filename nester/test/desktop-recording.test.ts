// Desktop recordings (issue #17): with recordings on, a desktop session's VNC server stream is kept
// with its timings, served Admin-only like terminal recordings, and a fresh RFB client fed the
// recorded bytes redraws what the owner saw. A joiner's view is not recorded again.

import { messageText } from '@nester/common/net/ws-message';
import { parseRfbRecording } from '@nester/contracts/nester/rfb-recording';
import type { EnrolledHarvester } from '@nester/testing/harvester';
import type { Desktop } from '@nester/testing/desktop';
import { eventually } from '@nester/testing/services';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type WebSocket from 'ws';
import { closeOf, connectBrowser, openSession } from './support/browser';
import { startDesktopStack, stopDesktopStack } from './support/desktop-stack';
import type { TestNester } from './support/nester';
import { RfbClient } from './support/rfb-client';

let desktop: Desktop;
let nester: TestNester;
let agent: EnrolledHarvester;
let harvesterId: string;

beforeAll(async () => {
  ({ desktop, nester, agent, harvesterId } = await startDesktopStack('desktop recording test'));
}, 60_000);

afterAll(() => stopDesktopStack({ desktop, nester, agent }));

function colours(pixels: Buffer): Set<string> {
  const seen = new Set<string>();
  for (let i = 0; i < pixels.length; i += 4) seen.add(`${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`);
  return seen;
}

/** A socket that plays recorded server bytes to an RFB client and drops what it sends, as a player does. */
function replaySocket(records: { data: Uint8Array }[]): WebSocket {
  const socket = new EventEmitter() as EventEmitter & { send: () => void };
  socket.send = () => {};
  setImmediate(() => {
    for (const { data } of records) socket.emit('message', Buffer.from(data), true);
  });
  return socket as unknown as WebSocket;
}

test('a desktop session is recorded, and the recording redraws what its user saw', async () => {
  await desktop.x('xsetroot', ['-solid', '#ff8000']);
  const session = await openSession(nester, 'vnc', harvesterId);
  expect(session.ready).toMatchObject({ kind: 'vnc', recording: true });
  const rfb = new RfbClient(session.ws);
  await rfb.handshake();
  expect(colours((await rfb.framebuffer()).pixels)).toEqual(new Set(['255,128,0']));
  await desktop.x('xsetroot', ['-solid', '#2040c0']);
  await eventually(
    async () => colours((await rfb.framebuffer()).pixels).has('32,64,192'),
    'the new root colour to reach the owner',
  );
  session.ws.close(1000);
  await session.closed;

  const row = await eventually(async () => {
    const { body } = await nester.api('GET', `/api/v1/sessions?harvesterId=${harvesterId}&kind=vnc`);
    return body.sessions.find((s: { id: string; endedAt: string | null }) => s.id === session.sessionId && s.endedAt);
  }, 'the audit row to be completed');
  const download = await fetch(`${nester.url}/api/v1/recordings/${session.sessionId}`, {
    headers: { authorization: `Bearer ${nester.apiToken}` },
  });
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('application/x-nester-rfb-recording');
  expect(download.headers.get('content-disposition')).toMatch(new RegExp(`${session.sessionId}\\.rfbrec"$`));
  const file = Buffer.from(await download.arrayBuffer());
  expect(createHash('sha256').update(file).digest('hex')).toBe(row.recordingSha256);
  const recording = parseRfbRecording(file);
  expect(recording.truncated).toBe(false);
  // Everything the browser got from the VNC server, nothing else.
  expect(recording.records.reduce((n, r) => n + r.data.length, 0)).toBe(row.bytesToBrowser);

  // Replayed into a fresh client: the same handshake, then the orange screen, then the blue one.
  const replay = new RfbClient(replaySocket(recording.records));
  await replay.handshake();
  expect([replay.width, replay.height]).toEqual([64, 48]);
  expect(colours((await replay.framebuffer()).pixels)).toEqual(new Set(['255,128,0']));
  let last = new Set<string>();
  while (!last.has('32,64,192')) last = colours((await replay.framebuffer()).pixels);
  expect(last).toEqual(new Set(['32,64,192']));
}, 60_000);

test("a joiner's view is not recorded again", async () => {
  const owner = await openSession(nester, 'vnc', harvesterId);
  await new RfbClient(owner.ws).handshake();
  const { status, body } = await nester.api(
    'POST',
    `/api/v1/sessions/vnc/${owner.sessionId}/join`,
    {},
    { 'x-grafana-user': 'bob' },
  );
  expect(status).toBe(201);
  const bob = connectBrowser(body.websocketUrl);
  const closed = closeOf(bob);
  const ready = await new Promise<Record<string, unknown>>((resolve) => {
    bob.once('open', () => bob.send(JSON.stringify({ type: 'hello', ticket: body.ticket })));
    bob.once('message', (data) => resolve(JSON.parse(messageText(data))));
  });
  expect(ready).toMatchObject({ joined: true, recording: false });
  await new RfbClient(bob).handshake();
  const { rows } = await nester.pool.query<{ user_login: string; recording_path: string | null }>(
    'SELECT user_login, recording_path FROM fleet.sessions WHERE harvester_id = $1 AND kind = $2 AND NOT refused',
    [harvesterId, 'vnc'],
  );
  const views = rows.filter((r) => r.user_login === 'bob');
  expect(views.length).toBe(1);
  expect(views[0].recording_path).toBeNull();
  owner.ws.close(1000);
  await owner.closed;
  await closed;
}, 60_000);
