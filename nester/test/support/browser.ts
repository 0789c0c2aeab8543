// Test support: what the Grafana panel does in a browser: ask for a session through the API,
// open the WebSocket with the page's Origin, send the ticket as the first message, wait for ready.

import { messageText } from '@nester/common/net/ws-message';
import WebSocket from 'ws';
import { GRAFANA_ORIGIN, type TestNester } from './nester';

export interface OpenedSession {
  ws: WebSocket;
  sessionId: string;
  ready: Record<string, unknown>;
  /** Binary frames received after ready (the test reads them through `take`). */
  incoming: Buffer[];
  closed: Promise<{ code: number; reason: string }>;
}

/** `origin: null` sends no Origin header at all (what a non-browser client does). */
export function connectBrowser(websocketUrl: string, origin: string | null = GRAFANA_ORIGIN): WebSocket {
  return new WebSocket(websocketUrl, { headers: origin ? { origin } : {}, perMessageDeflate: false });
}

export function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

export async function requestSession(
  nester: TestNester,
  kind: 'vnc' | 'terminal',
  harvesterId: string,
  extra: Record<string, unknown> = {},
) {
  const { status, body } = await nester.api('POST', `/api/v1/sessions/${kind}`, { harvesterId, ...extra });
  if (status !== 201) throw new Error(`session request failed: ${status} ${JSON.stringify(body)}`);
  return body as { sessionId: string; ticket: string; websocketUrl: string; expiresAt: string };
}

export async function openSession(
  nester: TestNester,
  kind: 'vnc' | 'terminal',
  harvesterId: string,
  extra: Record<string, unknown> = {},
): Promise<OpenedSession> {
  const issued = await requestSession(nester, kind, harvesterId, extra);
  const ws = connectBrowser(issued.websocketUrl);
  const closed = closeOf(ws);
  const incoming: Buffer[] = [];
  let ready: Record<string, unknown> = {};
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () =>
      ws.send(JSON.stringify({ type: 'hello', ticket: issued.ticket, cols: extra.cols, rows: extra.rows })),
    );
    ws.once('error', reject);
    // `closed` never rejects (it resolves with the close code).
    void closed.then(({ code, reason }) => reject(new Error(`session closed before ready: ${code} ${reason}`)));
    ws.once('message', (data) => {
      ready = JSON.parse(messageText(data));
      resolve();
    });
  }).catch((err) => {
    ws.terminate();
    throw err;
  });
  ws.on('message', (data, binary) => binary && incoming.push(data as Buffer));
  return { ws, sessionId: issued.sessionId, ready, incoming, closed };
}
