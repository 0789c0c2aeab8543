// An agent that goes away under a live session (killed, restarted, its network gone): the
// browser's session ends with words saying so, not as if the session had ended normally.

import { CLOSE, describeClose } from '@nester/contracts/remote/close-codes';
import type { EnrolledHarvester } from '@nester/testing/harvester';
import { eventually } from '@nester/testing/services';
import { openSession } from './support/browser';
import { enrolOnlineHarvester, startTestNester, type TestNester } from './support/nester';

let nester: TestNester;
let agent: EnrolledHarvester;
let harvesterId: string;

beforeAll(async () => {
  nester = await startTestNester();
  ({ agent, harvesterId } = await enrolOnlineHarvester(nester, 'terminal', { terminal: true }));
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await nester?.stop();
});

test('a harvester killed under a live terminal ends it with a reason in words, one the view may retry', async () => {
  const session = await openSession(nester, 'terminal', harvesterId, { cols: 80, rows: 24 });
  await eventually(() => session.incoming.length > 0, 'the shell prompt');
  agent.service.process.kill('SIGKILL');
  const { code, reason } = await session.closed;
  expect({ code, reason }).toEqual({
    code: CLOSE.goingAway,
    reason: 'connection to the harvester dropped (its agent stopped or restarted, or its network dropped)',
  });
  // What the fleet app makes of it: a dropped connection it retries, with nester's words.
  expect(describeClose(code, reason)).toMatchObject({ kind: 'network', retry: true, detail: reason });
  const { body } = await nester.api('GET', `/api/v1/sessions?harvesterId=${harvesterId}`);
  expect(JSON.stringify(body)).toContain('"endedBy":"agent"');
}, 60_000);
