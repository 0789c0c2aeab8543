// The agent's side of one session: a fresh outbound WebSocket to nester for this session only,
// authenticated with the agent's credential plus the one-session token from open-session.

import { AGENT_SESSION_PATH, SESSION_TOKEN_HEADER } from '@nester/contracts/remote/protocol';
import WebSocket from 'ws';
import type { Enrolment } from './state';
import { type TlsTrust, tlsOptions } from './tls';

export const MAX_FRAME_BYTES = 1024 * 1024;
/** Per-session send buffer; past it the local source (VNC socket, pty) is paused. */
export const WATERMARKS = { high: 1024 * 1024, low: 256 * 1024 };

/** nester's URL turned into the WebSocket URL of `path` (keeping any path prefix nester is served under). */
export function websocketUrl(nesterUrl: string, path: string): URL {
  const url = new URL(nesterUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`nester URL ${nesterUrl} must be http(s)://`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = '';
  return url;
}

export function dialSession(enrolment: Enrolment, trust: TlsTrust, sessionId: string, token: string): WebSocket {
  const url = websocketUrl(enrolment.nesterUrl, `${AGENT_SESSION_PATH}${encodeURIComponent(sessionId)}`);
  return new WebSocket(url, {
    headers: {
      authorization: `Bearer ${enrolment.harvesterId}.${enrolment.credential}`,
      [SESSION_TOKEN_HEADER]: token,
    },
    perMessageDeflate: false,
    maxPayload: MAX_FRAME_BYTES,
    handshakeTimeout: 10_000,
    // Client frames must carry a mask, which exists to stop script in a browser from crafting
    // bytes that fool HTTP intermediaries. The agent is no browser, and a zero mask lets ws skip
    // XOR-ing every byte of a desktop stream on both ends (nester relays it ~1.7x faster).
    generateMask: (mask: Buffer) => void mask.fill(0),
    ...tlsOptions(trust),
  });
}

/** Sends with back-pressure: `pause` when the socket's buffer passes the high mark, `resume` once it drains. */
export function throttledSend(
  ws: WebSocket,
  data: Buffer | string,
  source: { pause(): void; resume(): void },
  state: { paused: boolean },
): void {
  if (ws.readyState !== WebSocket.OPEN) return;
  ws.send(data, { binary: typeof data !== 'string' }, () => {
    if (state.paused && ws.bufferedAmount <= WATERMARKS.low) {
      state.paused = false;
      source.resume();
    }
  });
  if (!state.paused && ws.bufferedAmount > WATERMARKS.high) {
    state.paused = true;
    source.pause();
  }
}
