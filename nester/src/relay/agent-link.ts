// The server side of the agent's per-session WebSocket (the agent is a `ws` client), kept small so
// a desktop stream crosses nester with one read and one write per chunk: reads land in a reused
// buffer (reused-read-buffer) and binary frames are handed on as slices of it (FrameReader), never
// reassembled into messages. It offers the part of the `ws` WebSocket interface a relay session
// uses, so both legs of a session are driven alike.

import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { FrameError, FrameReader, OPCODE } from './frame-reader';
import { readIntoReusedBuffer } from './reused-read-buffer';

const CLOSE_TIMEOUT_MS = 5000;
/** Up to this much is read from the agent at once (it sends frames of up to 256 KiB). */
const READ_BYTES = 256 * 1024;

/** The events of a `ws` WebSocket that a relay session listens to, with their arguments. */
interface AgentLinkEvents {
  message: [data: Buffer, binary: boolean];
  close: [code: number, reason: Buffer];
  error: [err: Error];
  pong: [payload: Buffer];
}

export class AgentLink extends EventEmitter<AgentLinkEvents> {
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readyState = 1;
  private closeSent = false;
  private received: { code: number; reason: Buffer } | undefined;
  private broken = false;
  private readonly socket: Duplex;
  /**
   * Set by the consumer of 'message': true once the binary slices it was given are no longer
   * referenced (e.g. the browser's socket took them whole), so the read buffer can be reused.
   */
  released: () => boolean = () => false;

  constructor(upgraded: Duplex, maxFrameBytes: number) {
    super();
    // An 'error' with no listener would throw; the session adds its own when it takes the link.
    this.on('error', () => {});
    const reader = new FrameReader(
      {
        binary: (slice) => this.emit('message', slice, true),
        text: (text) => this.emit('message', Buffer.from(text), false),
        control: (opcode, payload) => this.control(opcode, payload),
      },
      maxFrameBytes,
    );
    const chunk = (data: Buffer) => {
      if (this.broken) return;
      try {
        reader.push(data);
      } catch (err) {
        // Thrown inside the socket's data handling: it must end this link, not the process.
        this.broken = true;
        const frameError = err instanceof FrameError;
        this.emit('error', err instanceof Error ? err : new Error(String(err)));
        this.close(frameError ? err.code : 1011, frameError ? err.message : 'internal error');
        this.socket.end();
      }
    };
    const adopted = readIntoReusedBuffer(upgraded, READ_BYTES, { chunk, released: () => this.released() });
    const socket: Duplex = adopted ?? upgraded.on('data', chunk);
    this.socket = socket;
    adopted?.setNoDelay(true);
    socket.on('end', () => socket.end()); // the agent went without a closing handshake
    socket.on('error', (err: Error) => this.emit('error', err));
    socket.on('close', () => {
      this.readyState = this.CLOSED;
      this.emit('close', this.received?.code ?? 1006, this.received?.reason ?? Buffer.alloc(0));
    });
  }

  /** Bytes accepted by send() that the kernel has not taken yet. */
  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  send(data: Buffer | string, options: { binary?: boolean } = {}, done?: (err?: Error) => void): void {
    if (this.readyState !== this.OPEN) return;
    const binary = options.binary ?? typeof data !== 'string';
    this.frame(binary ? OPCODE.binary : OPCODE.text, typeof data === 'string' ? Buffer.from(data) : data, done);
  }

  ping(): void {
    if (this.readyState === this.OPEN) this.frame(OPCODE.ping, Buffer.alloc(0));
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Starts the closing handshake; the socket goes when the agent answers, or after 5 s. */
  close(code = 1000, reason = ''): void {
    if (this.readyState === this.CLOSED || this.closeSent) return;
    this.closeSent = true;
    this.readyState = this.CLOSING;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    this.frame(OPCODE.close, payload);
    if (this.received) this.socket.end();
    setTimeout(() => this.terminate(), CLOSE_TIMEOUT_MS).unref();
  }

  terminate(): void {
    this.socket.destroy();
  }

  private control(opcode: number, payload: Buffer): void {
    if (opcode === OPCODE.ping) return this.frame(OPCODE.pong, payload);
    if (opcode === OPCODE.pong) return void this.emit('pong', payload);
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    this.received = { code, reason: payload.subarray(2) };
    if (this.closeSent) return void this.socket.end();
    this.close(code === 1005 ? 1000 : sendableCloseCode(code) ? code : 1002, '');
  }

  private frame(opcode: number, payload: Buffer, done?: (err?: Error) => void): void {
    if (this.socket.destroyed) return;
    const length = payload.length;
    const head = Buffer.allocUnsafe(length < 126 ? 2 : length < 65536 ? 4 : 10);
    head[0] = 0x80 | opcode;
    if (length < 126) head[1] = length;
    else if (length < 65536) {
      head[1] = 126;
      head.writeUInt16BE(length, 2);
    } else {
      head[1] = 127;
      head.writeBigUInt64BE(BigInt(length), 2);
    }
    // Corked, header and payload leave in one writev.
    this.socket.cork();
    this.socket.write(head);
    this.socket.write(payload, done && ((err) => done(err ?? undefined)));
    this.socket.uncork();
  }
}

/** Close codes an endpoint may put on the wire (RFC 6455 §7.4). */
function sendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}
