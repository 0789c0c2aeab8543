// A VNC session on the agent: raw RFB bytes between nester's session socket and the local VNC
// server (127.0.0.1:5900 by default). No parsing, no re-encoding; back-pressure both ways.

import type { Logger } from '@nester/common/log/logger';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { throttledSend } from './session-socket';

export interface VncTarget {
  host: string;
  port: number;
}

/** Connects to the local VNC server first, so a dead one is reported before nester is dialled. */
export function connectVnc(target: VncTarget, timeoutMs = 5000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const tcp = connect({ host: target.host, port: target.port });
    tcp.setTimeout(timeoutMs, () => tcp.destroy(new Error('timed out')));
    tcp.once('connect', () => {
      tcp.setTimeout(0);
      tcp.setNoDelay(true);
      resolve(tcp);
    });
    tcp.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`the VNC server at ${target.host}:${target.port} is unreachable (${err.code ?? err.message})`)),
    );
  });
}

export function pipeVnc(tcp: Socket, ws: WebSocket, log: Logger): void {
  const toNester = { paused: false };
  tcp.on('data', (chunk) => throttledSend(ws, chunk, tcp, toNester));
  ws.on('message', (data, binary) => {
    if (binary && !tcp.write(data as Buffer)) ws.pause();
  });
  tcp.on('drain', () => ws.resume());
  tcp.on('error', (err) => log.warn({ err: err.message }, 'VNC connection failed'));
  tcp.on('close', (hadError) => {
    if (ws.readyState === WebSocket.OPEN)
      ws.close(hadError ? 4500 : 1000, hadError ? 'the VNC connection failed' : 'the VNC server closed the connection');
  });
  ws.on('close', () => tcp.destroy());
  ws.on('error', (err) => {
    log.warn({ err: err.message }, 'session socket to nester failed');
    tcp.destroy();
  });
}
