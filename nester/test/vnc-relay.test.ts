// A real desktop through the relay: Xvfb + x11vnc on the "harvester", the real agent process
// dialling out to nester, and an RFB client on the browser side.

import { readFileSync } from 'node:fs';
import type { EnrolledHarvester } from '@nester/testing/harvester';
import { openSession } from './support/browser';
import type { Desktop } from '@nester/testing/desktop';
import { eventually } from '@nester/testing/services';
import { startDesktopStack, stopDesktopStack } from './support/desktop-stack';
import type { TestNester } from './support/nester';
import { RfbClient } from './support/rfb-client';

let desktop: Desktop;
let nester: TestNester;
let agent: EnrolledHarvester;
let harvesterId: string;

beforeAll(async () => {
  ({ desktop, nester, agent, harvesterId } = await startDesktopStack('vnc test'));
}, 60_000);

afterAll(() => stopDesktopStack({ desktop, nester, agent }));

test('the inventory shows the facts the agent reported, and presence is kept in PostgreSQL', async () => {
  const { hostname, release, arch, totalmem } = await import('node:os');
  const { body } = await nester.api('GET', `/api/v1/harvesters/${harvesterId}`);
  expect(body).toMatchObject({
    id: harvesterId,
    hostname: hostname(),
    kernel: release(),
    arch: arch(),
    memoryBytes: totalmem(),
    agentVersion: '0.1.0',
    status: 'online',
    capabilities: { vnc: true, terminal: false },
    revokedAt: null,
  });
  expect(body.machineId).toBe(readFileSync('/etc/machine-id', 'utf8').trim());
  expect(body.os.prettyName).toBeTruthy();
  expect(body.cpus).toBeGreaterThan(0);
  expect(body.addresses.length).toBeGreaterThan(0);
  const row = await eventually(async () => {
    const { rows } = await nester.pool.query('SELECT online, last_seen FROM fleet.harvesters WHERE id = $1', [
      harvesterId,
    ]);
    return rows[0]?.online && rows[0];
  }, 'presence to be written');
  expect(Date.now() - row.last_seen.getTime()).toBeLessThan(60_000);
});

function colours(pixels: Buffer): Set<string> {
  const seen = new Set<string>();
  for (let i = 0; i < pixels.length; i += 4) seen.add(`${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`);
  return seen;
}

test('the framebuffer seen through the relay has the pixels drawn on the X display', async () => {
  await desktop.x('xsetroot', ['-solid', '#ff8000']);
  const session = await openSession(nester, 'vnc', harvesterId);
  expect(session.ready).toMatchObject({ type: 'ready', kind: 'vnc', viewOnly: false });
  const rfb = new RfbClient(session.ws);
  await rfb.handshake();
  expect([rfb.width, rfb.height]).toEqual([64, 48]);
  expect(colours((await rfb.framebuffer()).pixels)).toEqual(new Set(['255,128,0']));

  await desktop.x('xsetroot', ['-solid', '#2040c0']);
  // x11vnc notices screen changes by polling: on a busy machine the next frame may still be orange.
  const latest = await eventually(async () => {
    const seen = colours((await rfb.framebuffer()).pixels);
    return seen.has('32,64,192') && seen;
  }, 'the new root colour to reach the relayed framebuffer');
  expect(latest).toEqual(new Set(['32,64,192']));

  session.ws.close(1000);
  await session.closed;
  const audit = await eventually(async () => {
    const { body } = await nester.api('GET', `/api/v1/sessions?harvesterId=${harvesterId}&kind=vnc`);
    return body.sessions.find((s: { id: string; endedAt: string | null }) => s.id === session.sessionId && s.endedAt);
  }, 'the audit row to be completed');
  expect(audit).toMatchObject({
    user: 'alice',
    endedBy: 'browser',
    endReason: 'closed in the browser',
    endCode: 1000,
    refused: false,
    viewOnly: false,
  });
  expect(audit.bytesToBrowser).toBeGreaterThan(2 * 64 * 48 * 4);
  expect(audit.bytesFromBrowser).toBeGreaterThan(0);
}, 30_000);

test('a view-only session cannot move the pointer; a control session can', async () => {
  const location = async () => (await desktop.x('xdotool', ['getmouselocation'])).trim();
  await desktop.x('xdotool', ['mousemove', '3', '4']);
  expect(await location()).toMatch(/^x:3 y:4 /);

  const viewer = await openSession(nester, 'vnc', harvesterId, { viewOnly: true });
  expect(viewer.ready).toMatchObject({ viewOnly: true });
  const viewRfb = new RfbClient(viewer.ws);
  await viewRfb.handshake();
  viewRfb.pointer(40, 30, 1);
  viewRfb.pointer(40, 30, 0);
  // x11vnc handles client messages in order: once this update arrives, the pointer events were handled too.
  await viewRfb.framebuffer();
  expect(await location()).toMatch(/^x:3 y:4 /);
  viewer.ws.close(1000);

  const controller = await openSession(nester, 'vnc', harvesterId);
  const controlRfb = new RfbClient(controller.ws);
  await controlRfb.handshake();
  controlRfb.pointer(40, 30);
  await controlRfb.framebuffer();
  await eventually(async () => /^x:40 y:30 /.test(await location()), 'the control session to move the pointer', 5000);
  controller.ws.close(1000);
}, 30_000);
