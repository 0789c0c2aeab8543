// View-only for VNC, enforced by nester rather than trusted to noVNC: the browser's RFB stream is
// parsed message by message and input (keys, pointer, clipboard, power, desktop resize) is
// dropped while everything a viewer needs (pixel format, encodings, update requests, fences)
// passes. The handshake is tracked on both directions so the framing is always known; anything
// that cannot be framed with certainty (a security type we cannot see through, an unknown
// message type) ends the session rather than risking input slipping through.

export class RfbFilterError extends Error {
  override name = 'RfbFilterError';
}

const SECURITY_NONE = 1;
const SECURITY_VNC_AUTH = 2;

type Phase = 'version' | 'security-choice' | 'security-wait-server' | 'vnc-auth-response' | 'client-init' | 'messages';

export interface FilterStats {
  droppedMessages: number;
  droppedBytes: number;
}

export class RfbViewOnlyFilter {
  private phase: Phase = 'version';
  private pending: Buffer = Buffer.alloc(0);
  private serverHead: Buffer = Buffer.alloc(0);
  private clientMinor = 0;
  /** Bytes still to drop of a message whose header was already judged. */
  private skipping = 0;
  /** Bytes still to forward of an input message let through (control allowed when it began). */
  private forwarding = 0;
  readonly stats: FilterStats = { droppedMessages: 0, droppedBytes: 0 };

  /**
   * `passInput`: asked at each input message; true lets it through (a desktop joiner with control
   * its owner allows). Framing is tracked either way, so a withdrawal applies from the next message.
   */
  constructor(private readonly passInput: () => boolean = () => false) {}

  /** Observes server→client bytes (only the first 16 matter); returns client bytes this releases. */
  server(chunk: Buffer): Buffer {
    if (this.serverHead.length < 16) {
      this.serverHead = Buffer.concat([this.serverHead, chunk.subarray(0, 16 - this.serverHead.length)]);
      return this.run();
    }
    return EMPTY;
  }

  /** Takes client→server bytes; returns the bytes that may go on to the VNC server. */
  client(chunk: Buffer): Buffer {
    let head: Buffer = EMPTY;
    if (this.forwarding > 0) {
      head = chunk.subarray(0, Math.min(this.forwarding, chunk.length));
      this.forwarding -= head.length;
      chunk = chunk.subarray(head.length);
    }
    if (this.skipping > 0) {
      const skipped = Math.min(this.skipping, chunk.length);
      this.skipping -= skipped;
      this.stats.droppedBytes += skipped;
      chunk = chunk.subarray(skipped);
    }
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const rest = this.run();
    if (!head.length) return rest;
    return rest.length ? Buffer.concat([head, rest]) : head;
  }

  private run(): Buffer {
    const out: Buffer[] = [];
    for (;;) {
      const step = this.step();
      if (step === undefined) break;
      if (step.length) out.push(step);
    }
    return out.length === 1 ? out[0] : Buffer.concat(out);
  }

  /** Consumes one unit from `pending`: forwarded bytes, an empty buffer when dropped, undefined when more input is needed. */
  private step(): Buffer | undefined {
    switch (this.phase) {
      case 'version': {
        if (this.pending.length < 12) return undefined;
        const text = this.pending.subarray(0, 12).toString('latin1');
        const match = /^RFB (\d{3})\.(\d{3})\n$/.exec(text);
        if (!match) throw new RfbFilterError('client did not start with an RFB protocol version');
        this.clientMinor = Number(match[2]);
        this.phase = 'security-wait-server';
        return this.take(12);
      }
      case 'security-wait-server': {
        if (this.serverHead.length < 12) return undefined;
        const serverMatch = /^RFB (\d{3})\.(\d{3})\n$/.exec(this.serverHead.subarray(0, 12).toString('latin1'));
        if (!serverMatch) throw new RfbFilterError('VNC server did not start with an RFB protocol version');
        const negotiated = Math.min(minorOf(Number(serverMatch[2])), minorOf(this.clientMinor));
        if (negotiated >= 7) {
          this.phase = 'security-choice';
          return EMPTY;
        }
        // RFB 3.3: the server picks the security type (u32 right after its version).
        if (this.serverHead.length < 16) return undefined;
        return this.afterSecurity(this.serverHead.readUInt32BE(12));
      }
      case 'security-choice': {
        if (this.pending.length < 1) return undefined;
        const chosen = this.pending[0];
        const forwarded = this.take(1);
        this.afterSecurity(chosen);
        return forwarded;
      }
      case 'vnc-auth-response':
        if (this.pending.length < 16) return undefined;
        this.phase = 'client-init';
        return this.take(16);
      case 'client-init':
        if (this.pending.length < 1) return undefined;
        this.phase = 'messages';
        return this.take(1);
      case 'messages':
        return this.message();
    }
  }

  private afterSecurity(type: number): Buffer {
    if (type === SECURITY_NONE) this.phase = 'client-init';
    else if (type === SECURITY_VNC_AUTH) this.phase = 'vnc-auth-response';
    else {
      throw new RfbFilterError(
        `view-only sessions need the VNC server to offer security type None or VNC password (it used type ${type})`,
      );
    }
    return EMPTY;
  }

  private message(): Buffer | undefined {
    const p = this.pending;
    if (p.length < 1) return undefined;
    let length: number;
    let drop = false;
    switch (p[0]) {
      case 0: // SetPixelFormat
        length = 20;
        break;
      case 2: // SetEncodings
        if (p.length < 4) return undefined;
        length = 4 + 4 * p.readUInt16BE(2);
        break;
      case 3: // FramebufferUpdateRequest
        length = 10;
        break;
      case 4: // KeyEvent
        length = 8;
        drop = true;
        break;
      case 5: // PointerEvent
        length = 6;
        drop = true;
        break;
      case 6: {
        // ClientCutText; a negative length is the Extended Clipboard form (absolute value).
        if (p.length < 8) return undefined;
        length = 8 + Math.abs(p.readInt32BE(4));
        drop = true;
        break;
      }
      case 150: // EnableContinuousUpdates
        length = 10;
        break;
      case 248: // ClientFence
        if (p.length < 9) return undefined;
        length = 9 + p[8];
        break;
      case 250: // xvp (shutdown, reboot, reset)
        length = 4;
        drop = true;
        break;
      case 251: // SetDesktopSize
        if (p.length < 7) return undefined;
        length = 8 + 16 * p[6];
        drop = true;
        break;
      case 255: {
        // QEMU client messages: 0 = extended key event (input); 1 = audio control.
        if (p.length < 2) return undefined;
        if (p[1] === 0) {
          length = 12;
          drop = true;
        } else if (p[1] === 1) {
          if (p.length < 4) return undefined;
          const operation = p.readUInt16BE(2);
          if (operation > 2) throw new RfbFilterError(`unknown QEMU audio operation ${operation}`);
          length = operation === 2 ? 10 : 4;
        } else throw new RfbFilterError(`unknown QEMU client message ${p[1]}`);
        break;
      }
      default:
        throw new RfbFilterError(`unknown RFB client message type ${p[0]}; view-only cannot let it through`);
    }
    if (!drop) return p.length < length ? undefined : this.take(length);
    // Input messages may be long (clipboard): forward or skip them as they stream by, never buffer them.
    const available = Math.min(length, p.length);
    if (this.passInput()) {
      this.forwarding = length - available;
      return this.take(available);
    }
    this.stats.droppedMessages++;
    this.stats.droppedBytes += available;
    this.pending = p.subarray(available);
    this.skipping = length - available;
    return EMPTY;
  }

  private take(n: number): Buffer {
    const head = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return head;
  }
}

const EMPTY = Buffer.alloc(0);

/** RFB minor versions other than 3.7 and 3.8 are treated as 3.3 (3.889 from Apple is 3.8). */
function minorOf(minor: number): number {
  if (minor >= 8) return 8;
  if (minor === 7) return 7;
  return 3;
}
