// The outage scenario of the push tests, the same for every receiver: push, take the receiver
// down, let the agent queue, SIGKILL the agent, restart it, bring the receiver back, drain.
// Then every tick at which an agent was alive must be stored exactly once.

import { eventually } from '@nester/testing/services';
import type { RunningHarvester } from '@nester/testing/harvester';
import { metricValue } from './metrics-of';

export interface OutageMarks {
  outageAt: number;
  killedAt: number;
  restartedAt: number;
}

export interface OutageSteps {
  startHarvester(): Promise<RunningHarvester>;
  stopReceiver(): Promise<void>;
  startReceiver(): Promise<void>;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const counter = (agent: RunningHarvester, name: string) => metricValue(agent.url, name).then((value) => value ?? 0);

export async function runOutage(steps: OutageSteps): Promise<OutageMarks> {
  const first = await steps.startHarvester();
  await eventually(
    async () => ((await counter(first, 'harvester_remote_write_samples_sent_total')) > 0 ? true : undefined),
    'a first push',
  );
  await steps.stopReceiver();
  const outageAt = Date.now();
  await sleep(3000);
  if ((await counter(first, 'harvester_remote_write_queue_samples')) === 0)
    throw new Error('nothing was queued during the outage');
  const killedAt = Date.now();
  await first.service.stop('SIGKILL');
  const second = await steps.startHarvester();
  const restartedAt = Date.now();
  await sleep(2000);
  await steps.startReceiver();
  await eventually(
    async () => ((await metricValue(second.url, 'harvester_remote_write_queue_samples')) === 0 ? true : undefined),
    'the queue to drain',
    30_000,
  );
  await second.service.stop();
  return { outageAt, killedAt, restartedAt };
}

/** What is wrong with the stored timestamps (ms) of one series pushed every second; empty if nothing. */
export function continuityProblems(times: number[], { outageAt, killedAt, restartedAt }: OutageMarks): string[] {
  const problems: string[] = [];
  if (new Set(times).size !== times.length) problems.push('duplicated timestamps');
  if (times.some((t, i) => i > 0 && t <= times[i - 1])) problems.push('timestamps out of order');
  const [start, end] = [times[0], times[times.length - 1]];
  if (!(start < outageAt)) problems.push('nothing stored from before the outage');
  if (!(end > restartedAt)) problems.push('nothing stored from after the agent restarted');
  for (let tick = start; tick <= end; tick += 1000) {
    const agentAlive = tick < killedAt - 1000 || tick > restartedAt + 1000;
    if (agentAlive && !times.includes(tick)) problems.push(`missing the sample of ${new Date(tick).toISOString()}`);
  }
  if (times.filter((t) => t > outageAt && t < killedAt).length < 2) {
    problems.push('the samples queued by the killed agent during the outage were not delivered');
  }
  return problems;
}
