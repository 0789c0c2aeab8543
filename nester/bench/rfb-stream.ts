// A measuring RFB client for the relay benchmark: handshake (3.8, security None, 32 bpp, Raw),
// then full-screen updates counted as they stream by, without copying pixels, so the client
// is never the bottleneck. Works over anything that delivers byte chunks (TCP or WebSocket).

export interface ByteChannel {
  onData(listener: (chunk: Buffer) => void): void;
  write(data: Buffer): void;
}

export class RfbStream {
  width = 0;
  height = 0;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private wake?: () => void;
  // Frame parsing state (after the handshake).
  private framing = false;
  private header = Buffer.alloc(0);
  private skip = 0;
  private rectsLeft = -1;
  private cutTextLeft = 0;
  private frameDone?: () => void;
  bytesReceived = 0;
  /** Per update: milliseconds from the request to the first byte of the answer. */
  readonly firstByteMs: number[] = [];
  private requestedAt?: bigint;

  constructor(private readonly channel: ByteChannel) {
    channel.onData((chunk) => {
      this.bytesReceived += chunk.length;
      if (this.requestedAt !== undefined) {
        this.firstByteMs.push(Number(process.hrtime.bigint() - this.requestedAt) / 1e6);
        this.requestedAt = undefined;
      }
      if (this.framing) this.frame(chunk);
      else {
        this.chunks.push(chunk);
        this.buffered += chunk.length;
        this.wake?.();
      }
    });
  }

  async handshake(): Promise<void> {
    await this.read(12);
    this.channel.write(Buffer.from('RFB 003.008\n', 'latin1'));
    const count = (await this.read(1))[0];
    const types = [...(await this.read(count))];
    if (!types.includes(1)) throw new Error(`VNC server offers no security None (${types.join(',')})`);
    this.channel.write(Buffer.from([1]));
    if ((await this.read(4)).readUInt32BE(0) !== 0) throw new Error('security handshake failed');
    this.channel.write(Buffer.from([1]));
    const init = await this.read(24);
    this.width = init.readUInt16BE(0);
    this.height = init.readUInt16BE(2);
    await this.read(init.readUInt32BE(20));
    this.channel.write(Buffer.from([0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 0, 8, 16, 0, 0, 0]));
    this.channel.write(Buffer.from([2, 0, 0, 1, 0, 0, 0, 0]));
    if (this.buffered) throw new Error('unexpected bytes after ServerInit');
    this.framing = true;
  }

  /** Requests a region (non-incremental) and resolves when the whole update has arrived. */
  update(x = 0, y = 0, w = this.width, h = this.height): Promise<void> {
    const request = Buffer.alloc(10);
    request[0] = 3;
    request.writeUInt16BE(x, 2);
    request.writeUInt16BE(y, 4);
    request.writeUInt16BE(w, 6);
    request.writeUInt16BE(h, 8);
    const done = new Promise<void>((resolve) => (this.frameDone = resolve));
    this.requestedAt = process.hrtime.bigint();
    this.channel.write(request);
    return done;
  }

  private frame(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - offset);
        this.skip -= n;
        offset += n;
        if (this.skip === 0) this.rectDone();
        continue;
      }
      if (this.cutTextLeft > 0) {
        const n = Math.min(this.cutTextLeft, chunk.length - offset);
        this.cutTextLeft -= n;
        offset += n;
        continue;
      }
      // Between updates the server may send a Bell (1 byte) or ServerCutText (8 + length).
      if (this.rectsLeft < 0 && this.header.length === 0 && chunk[offset] === 2) {
        offset++;
        continue;
      }
      const cutText = this.rectsLeft < 0 && (this.header.length ? this.header[0] : chunk[offset]) === 3;
      const need = cutText ? 8 : this.rectsLeft < 0 ? 4 : 12;
      const take = Math.min(need - this.header.length, chunk.length - offset);
      this.header = Buffer.concat([this.header, chunk.subarray(offset, offset + take)]);
      offset += take;
      if (this.header.length < need) continue;
      if (cutText) {
        this.cutTextLeft = this.header.readUInt32BE(4);
        this.header = Buffer.alloc(0);
        continue;
      }
      if (this.rectsLeft < 0) {
        if (this.header[0] !== 0) throw new Error(`unexpected server message ${this.header[0]}`);
        this.rectsLeft = this.header.readUInt16BE(2);
      } else {
        if (this.header.readInt32BE(8) !== 0) throw new Error('expected Raw encoding');
        this.skip = this.header.readUInt16BE(4) * this.header.readUInt16BE(6) * 4;
        if (this.skip === 0) this.rectDone();
      }
      this.header = Buffer.alloc(0);
      if (this.rectsLeft === 0) this.finishFrame();
    }
  }

  private rectDone(): void {
    this.rectsLeft--;
    if (this.rectsLeft === 0) this.finishFrame();
  }

  private finishFrame(): void {
    this.rectsLeft = -1;
    const done = this.frameDone;
    this.frameDone = undefined;
    done?.();
  }

  private async read(n: number): Promise<Buffer> {
    while (this.buffered < n) await new Promise<void>((resolve) => (this.wake = resolve));
    const all = Buffer.concat(this.chunks);
    this.chunks = [all.subarray(n)];
    this.buffered -= n;
    return all.subarray(0, n);
  }
}
