// A real desktop behind the relay, for the tests that need one: Xvfb + x11vnc (64×48, -shared),
// nester, and the real agent enrolled with a one-use token and online with its desktop.

import type { EnrolledHarvester } from '@nester/testing/harvester';
import { type Desktop, startDesktop } from '@nester/testing/desktop';
import { enrolOnlineHarvester, startTestNester, type TestNester } from './nester';

export interface DesktopStack {
  desktop: Desktop;
  nester: TestNester;
  agent: EnrolledHarvester;
  harvesterId: string;
}

/** Starts the stack; `description` names the enrolment token (and so the test) in nester's audit. */
export async function startDesktopStack(description: string): Promise<DesktopStack> {
  const desktop = await startDesktop(64, 48);
  const nester = await startTestNester();
  const { agent, harvesterId } = await enrolOnlineHarvester(
    nester,
    'vnc',
    { vncPort: desktop.vncPort },
    { description, ttl: '10m', maxUses: 1 },
  );
  return { desktop, nester, agent, harvesterId };
}

/** Stops what started, agent first so nester sees it leave; tolerates a stack that failed half-way. */
export async function stopDesktopStack(stack: Partial<DesktopStack>): Promise<void> {
  await stack.agent?.stop();
  await stack.nester?.stop();
  await stack.desktop?.stop();
}
