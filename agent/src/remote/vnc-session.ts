// A VNC session on the agent: raw RFB bytes between nester's session socket and the local VNC
// server (127.0.0.1:5900 by default). No parsing, no re-encoding; back-pressure both ways.

import type { Logger } from '@nester/common/log/logger';
import { reusedReadBuffer } from '@nester/common/net/reused-read-buffer';
import { CLOSE } from '@nester/contracts/remote/close-codes';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { throttledSend } from './session-socket';

export interface VncTarget {
  host: string;
  port: number;
}

/**
 * Up to this much of the desktop stream goes to nester per frame. Reads land in one reused
 * buffer, so a busy session allocates nothing per read and sends fewer, larger frames; at
 * 256 KiB a Raw full-screen update takes ~16 reads instead of ~64.
 */
export const VNC_READ_BYTES = 256 * 1024;

/** The connection to the local VNC server, read into a reused buffer once a sink is attached. */
export interface VncConnection {
  socket: Socket;
  /** Starts delivering the stream; `sink` returns false while it still holds on to the chunk. */
  forward(sink: (chunk: Buffer) => boolean): void;
}

/** Connects to the local VNC server first, so a dead one is reported before nester is dialled. */
export function connectVnc(target: VncTarget, timeoutMs = 5000): Promise<VncConnection> {
  let sink: ((chunk: Buffer) => boolean) | undefined;
  let held = false;
  const early: Buffer[] = [];
  const onread = reusedReadBuffer(VNC_READ_BYTES, {
    chunk: (chunk) => {
      if (sink) held = !sink(chunk);
      else early.push(Buffer.from(chunk)); // the server's greeting, before nester answered
    },
    released: () => !held,
  });
  const tcp = connect({ host: target.host, port: target.port, onread });
  const forward = (to: (chunk: Buffer) => boolean) => {
    sink = to;
    for (const chunk of early.splice(0)) to(chunk);
  };
  return new Promise((resolve, reject) => {
    tcp.setTimeout(timeoutMs, () => tcp.destroy(new Error('timed out')));
    tcp.once('connect', () => {
      tcp.setTimeout(0);
      tcp.setNoDelay(true);
      resolve({ socket: tcp, forward });
    });
    tcp.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`the VNC server at ${target.host}:${target.port} is unreachable (${err.code ?? err.message})`)),
    );
  });
}

export function pipeVnc(vnc: VncConnection, ws: WebSocket, log: Logger): void {
  const tcp = vnc.socket;
  const toNester = { paused: false };
  // A chunk is free again once ws handed it to the kernel whole (nothing left buffered).
  vnc.forward((chunk) => (throttledSend(ws, chunk, tcp, toNester), ws.bufferedAmount === 0));
  ws.on('message', (data, binary) => {
    if (binary && !tcp.write(data as Buffer)) ws.pause();
  });
  tcp.on('drain', () => ws.resume());
  tcp.on('error', (err) => log.warn({ err: err.message }, 'VNC connection failed'));
  tcp.on('close', (hadError) => {
    if (ws.readyState === WebSocket.OPEN)
      ws.close(
        hadError ? CLOSE.agentFailed : CLOSE.normal,
        hadError ? 'the VNC connection failed' : 'the VNC server closed the connection',
      );
  });
  ws.on('close', () => tcp.destroy());
  ws.on('error', (err) => {
    log.warn({ err: err.message }, 'session socket to nester failed');
    tcp.destroy();
  });
}
