// Test support: an agent reduced to its control channel, for tests about nester's own behaviour
// (limits, presence, hostile input) that need an online harvester but no real desktop or shell.

import { messageText } from '@nester/common/net/ws-message';
import WebSocket from 'ws';
import type { TestNester } from './nester';

export interface FakeAgent {
  harvesterId: string;
  credential: string;
  ws: WebSocket;
  /** Control messages nester sent after welcome (open-session, close-session). */
  received: Record<string, unknown>[];
  close(): void;
}

/** Enrols through the API with a fresh enrolment token, connects, and reports `facts`. */
export async function connectFakeAgent(
  nester: Pick<TestNester, 'api'> & { url: string },
  facts: Record<string, unknown> = { hostname: 'fake', capabilities: { vnc: true, terminal: true } },
): Promise<FakeAgent> {
  const { body: token } = await nester.api('POST', '/api/v1/enrollment-tokens', {});
  const enrolled = await fetch(`${nester.url}/api/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: token.token, facts: { hostname: 'enrolling' } }),
  });
  if (enrolled.status !== 201) throw new Error(`enrolment failed: ${enrolled.status} ${await enrolled.text()}`);
  const { harvesterId, credential } = (await enrolled.json()) as { harvesterId: string; credential: string };
  const ws = new WebSocket(`${nester.url.replace(/^http/, 'ws')}/ws/agent`, {
    headers: { authorization: `Bearer ${harvesterId}.${credential}` },
  });
  const received: Record<string, unknown>[] = [];
  const welcome = await new Promise<WebSocket.RawData>((resolve, reject) =>
    ws.once('message', resolve).once('error', reject),
  );
  ws.on('message', (data) => received.push(JSON.parse(messageText(data))));
  ws.send(JSON.stringify({ type: 'facts', facts }));
  // Heartbeat as a real agent does: a silent agent is dropped after three intervals, and a test
  // slowed down by a busy machine outlives that (6 s with the test nester's 2 s).
  const { heartbeatIntervalMs } = JSON.parse(messageText(welcome)) as { heartbeatIntervalMs: number };
  const heartbeat = setInterval(() => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'heartbeat' }));
  }, heartbeatIntervalMs).unref();
  ws.once('close', () => clearInterval(heartbeat));
  return { harvesterId, credential, ws, received, close: () => ws.close() };
}
