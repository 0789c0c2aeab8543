// Streaming reader of the WebSocket frames a client sends (RFC 6455 §5), for the agent's session
// socket. Binary payload is handed on as it arrives, as slices of the chunk being read: a desktop
// stream is never reassembled or copied here. Text and control frames are small; they are copied
// (the caller may reuse its read buffer) and delivered whole.

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** A violation of the protocol; `code` is the close code to answer with. */
export class FrameError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface FrameHandlers {
  /** A piece of a binary message, in order. Valid only during the call unless kept. */
  binary(slice: Buffer): void;
  /** A whole text message. */
  text(message: string): void;
  /** A whole close, ping or pong frame. */
  control(opcode: number, payload: Buffer): void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class FrameReader {
  private readonly head = Buffer.alloc(14);
  private headBytes = 0;
  private inPayload = false;
  private remaining = 0;
  private opcode = 0;
  private fin = false;
  /** Opcode of the data message being received across frames (0: none). */
  private message = 0;
  private readonly mask = Buffer.alloc(4);
  private maskOffset = 0;
  private zeroMask = true;
  /** A text message being gathered (control frames may come between its frames), and its size. */
  private textParts: Buffer[] = [];
  private textBytes = 0;
  private controlParts: Buffer[] = [];

  constructor(
    private readonly handlers: FrameHandlers,
    /** Largest frame, and largest text message, accepted (1009 above). */
    private readonly maxBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (!this.inPayload) {
        at = this.readHead(chunk, at);
        continue;
      }
      const end = at + Math.min(this.remaining, chunk.length - at);
      const slice = chunk.subarray(at, end);
      at = end;
      this.remaining -= slice.length;
      this.payload(slice);
      if (this.remaining === 0) this.endFrame();
    }
  }

  private readHead(chunk: Buffer, at: number): number {
    const need = this.headBytes < 2 ? 2 : headLength(this.head);
    const take = Math.min(need - this.headBytes, chunk.length - at);
    chunk.copy(this.head, this.headBytes, at, at + take);
    this.headBytes += take;
    if (this.headBytes >= 2 && this.headBytes === headLength(this.head)) this.startFrame();
    return at + take;
  }

  private startFrame(): void {
    const head = this.head;
    this.headBytes = 0;
    if (head[0] & 0x70) throw new FrameError(1002, 'reserved bits set (no extension was negotiated)');
    if (!(head[1] & 0x80)) throw new FrameError(1002, 'frames from a client must be masked');
    this.fin = (head[0] & 0x80) !== 0;
    this.opcode = head[0] & 0x0f;
    const length = payloadLength(head);
    if (this.opcode >= OPCODE.close) {
      if (this.opcode > OPCODE.pong) throw new FrameError(1002, `unknown opcode ${this.opcode}`);
      if (!this.fin || length > 125) throw new FrameError(1002, 'control frames must be whole and at most 125 bytes');
    } else if (this.opcode === OPCODE.continuation) {
      if (!this.message) throw new FrameError(1002, 'continuation frame without a message to continue');
    } else if (this.opcode === OPCODE.text || this.opcode === OPCODE.binary) {
      if (this.message) throw new FrameError(1002, 'new message before the previous one ended');
      this.message = this.opcode;
    } else throw new FrameError(1002, `unknown opcode ${this.opcode}`);
    if (length > this.maxBytes)
      throw new FrameError(1009, `frame of ${length} bytes is over the ${this.maxBytes} limit`);
    head.copy(this.mask, 0, headLength(head) - 4, headLength(head));
    this.zeroMask = (this.mask[0] | this.mask[1] | this.mask[2] | this.mask[3]) === 0;
    this.maskOffset = 0;
    this.remaining = length;
    this.inPayload = true;
    if (length === 0) this.endFrame();
  }

  private payload(slice: Buffer): void {
    if (!this.zeroMask) {
      // The chunk is the caller's read buffer, not shared: unmask in place.
      for (let i = 0; i < slice.length; i++) slice[i] ^= this.mask[(this.maskOffset + i) & 3];
      this.maskOffset = (this.maskOffset + slice.length) & 3;
    }
    if (this.opcode >= OPCODE.close) return void this.controlParts.push(Buffer.from(slice));
    if (this.message === OPCODE.binary) return this.handlers.binary(slice);
    this.textBytes += slice.length;
    if (this.textBytes > this.maxBytes) throw new FrameError(1009, `text message over the ${this.maxBytes} limit`);
    this.textParts.push(Buffer.from(slice));
  }

  private endFrame(): void {
    this.inPayload = false;
    if (this.opcode >= OPCODE.close)
      return this.handlers.control(this.opcode, Buffer.concat(this.controlParts.splice(0)));
    if (!this.fin) return;
    const message = this.message;
    this.message = 0;
    if (message !== OPCODE.text) return;
    const bytes = Buffer.concat(this.textParts.splice(0));
    this.textBytes = 0;
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new FrameError(1007, 'text message is not valid UTF-8');
    }
    this.handlers.text(text);
  }
}

function headLength(head: Buffer): number {
  const short = head[1] & 0x7f;
  return 2 + (short === 126 ? 2 : short === 127 ? 8 : 0) + (head[1] & 0x80 ? 4 : 0);
}

function payloadLength(head: Buffer): number {
  const short = head[1] & 0x7f;
  if (short < 126) return short;
  if (short === 126) return head.readUInt16BE(2);
  const long = head.readBigUInt64BE(2);
  return long > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(long);
}
