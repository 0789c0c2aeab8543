// The relay under stress that operators meet: nester restarting under a connected fleet, and a
// viewer too slow to keep up next to one that is not.

import type { EnrolledHarvester } from '@nester/testing/harvester';
import { type OpenedSession, openSession } from './support/browser';
import { eventually } from '@nester/testing/services';
import { enrolOnlineHarvester, startTestNester, type TestNester } from './support/nester';

let nester: TestNester;
let agent: EnrolledHarvester;
let harvesterId: string;

beforeAll(async () => {
  nester = await startTestNester();
  ({ agent, harvesterId } = await enrolOnlineHarvester(
    nester,
    'terminal',
    { terminal: true, args: ['--remote.terminal-shell=/bin/sh'] },
    {},
  ));
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await nester?.stop();
});

const type = (session: OpenedSession, text: string) => session.ws.send(Buffer.from(text), { binary: true });

test('the agent reconnects by itself after nester restarts, and sessions work again', async () => {
  const session = await openSession(nester, 'terminal', harvesterId);
  await nester.restart();
  // Live sessions end with the process that relayed them; the audit row says why.
  expect((await session.closed).code).toBe(1001);
  await eventually(
    async () => (await nester.api('GET', `/api/v1/harvesters/${harvesterId}`)).body.status === 'online',
    'the agent back online',
    20_000,
  );
  const { body } = await nester.api('GET', `/api/v1/sessions?harvesterId=${harvesterId}`);
  expect(body.sessions.find((s: { id: string }) => s.id === session.sessionId)).toMatchObject({
    endReason: 'nester is shutting down',
    endedBy: 'server',
  });

  const again = await openSession(nester, 'terminal', harvesterId);
  type(again, 'echo back-$((2+3))\r');
  await eventually(() => Buffer.concat(again.incoming).toString().includes('back-5'), 'a command after the restart');
  again.ws.close(1000);
  await again.closed;
}, 40_000);

test('a viewer that stops reading stalls only its own session, with bounded buffers', async () => {
  const { marks, maxFrameBytes } = { marks: { high: 1024 * 1024 }, maxFrameBytes: 1024 * 1024 };
  const slow = await openSession(nester, 'terminal', harvesterId);
  const fast = await openSession(nester, 'terminal', harvesterId);
  // The slow viewer's TCP socket stops being read, as with a stuck browser tab on a bad link.
  slow.ws.pause();
  type(slow, 'yes nester-back-pressure\r');

  // Meanwhile the other session moves a lot of data through the same nester and agent.
  let fastBytes = 0;
  fast.ws.on('message', (data, binary) => binary && (fastBytes += (data as Buffer).length));
  type(fast, 'head -c 6000000 /dev/zero | od -An -v -tx1; echo FAST-$((1+1))-DONE\r');
  await eventually(
    () => Buffer.concat(fast.incoming.slice(-3)).toString().includes('FAST-2-DONE'),
    'the fast session to finish',
    60_000,
  );
  expect(fastBytes).toBeGreaterThan(18_000_000);

  const relayed = nester.nester.broker.get(slow.sessionId)!;
  const stalledAt = relayed.bytesToBrowser;
  // nester holds at most its high-water mark plus one frame for the stuck viewer; everything
  // else waits in kernel socket buffers and, further back, in the paused pty of the agent.
  expect(relayed.browser!.bufferedAmount).toBeLessThanOrEqual(marks.high + maxFrameBytes);
  const before = process.memoryUsage().rss;
  type(fast, 'head -c 4000000 /dev/zero | od -An -v -tx1; echo FAST-$((2+1))-AGAIN\r');
  await eventually(
    () => Buffer.concat(fast.incoming.slice(-3)).toString().includes('FAST-3-AGAIN'),
    'the fast session to finish again',
    60_000,
  );
  // While the fast session moved another 12 MB, the stalled one did not grow (beyond one buffer of slack).
  expect(relayed.bytesToBrowser - stalledAt).toBeLessThanOrEqual(marks.high + maxFrameBytes);
  expect(relayed.browser!.bufferedAmount).toBeLessThanOrEqual(marks.high + maxFrameBytes);
  expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);

  slow.ws.resume();
  slow.ws.close(1000);
  fast.ws.close(1000);
  await Promise.all([slow.closed, fast.closed]);
}, 120_000);
