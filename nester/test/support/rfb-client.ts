// A minimal RFB (VNC) client for tests, speaking over a relayed WebSocket exactly as noVNC
// would: protocol 3.8, security type None, 32-bit true-colour pixels, Raw encoding.

import type WebSocket from 'ws';

export interface Framebuffer {
  width: number;
  height: number;
  name: string;
  /** RGBA bytes, row by row. */
  pixels: Buffer;
}

/** Reads a byte stream that arrives as WebSocket frames. */
class ByteReader {
  private buffer = Buffer.alloc(0);
  private waiter?: () => void;

  constructor(ws: WebSocket) {
    ws.on('message', (data, binary) => {
      if (!binary) return;
      this.buffer = Buffer.concat([this.buffer, data as Buffer]);
      this.waiter?.();
    });
  }

  async read(n: number, timeoutMs = 10_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.length < n) {
      if (Date.now() > deadline) throw new Error(`RFB: waited for ${n} bytes, have ${this.buffer.length}`);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 100);
      });
    }
    const head = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return head;
  }
}

export class RfbClient {
  private readonly reader: ByteReader;
  width = 0;
  height = 0;
  name = '';

  constructor(private readonly ws: WebSocket) {
    this.reader = new ByteReader(ws);
  }

  async handshake(): Promise<void> {
    const version = (await this.reader.read(12)).toString('latin1');
    if (!version.startsWith('RFB 003.')) throw new Error(`not an RFB server: ${JSON.stringify(version)}`);
    this.send(Buffer.from('RFB 003.008\n', 'latin1'));
    const count = (await this.reader.read(1))[0];
    if (count === 0) throw new Error('VNC server refused the connection');
    const types = [...(await this.reader.read(count))];
    if (!types.includes(1)) throw new Error(`VNC server does not offer security None (offers ${types.join(',')})`);
    this.send(Buffer.from([1]));
    const result = (await this.reader.read(4)).readUInt32BE(0);
    if (result !== 0) throw new Error(`security handshake failed (${result})`);
    this.send(Buffer.from([1])); // ClientInit: shared
    const init = await this.reader.read(24);
    this.width = init.readUInt16BE(0);
    this.height = init.readUInt16BE(2);
    this.name = (await this.reader.read(init.readUInt32BE(20))).toString('utf8');
    // SetPixelFormat: 32 bpp, depth 24, little-endian, true colour, R at bit 0, G at 8, B at 16.
    const format = Buffer.from([0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 0, 8, 16, 0, 0, 0]);
    this.send(format);
    this.send(Buffer.from([2, 0, 0, 1, 0, 0, 0, 0])); // SetEncodings: Raw only
  }

  /** Asks for the whole screen and decodes the Raw rectangles of the answer. */
  async framebuffer(): Promise<Framebuffer> {
    const request = Buffer.alloc(10);
    request[0] = 3;
    request[1] = 0; // not incremental: send everything
    request.writeUInt16BE(this.width, 6);
    request.writeUInt16BE(this.height, 8);
    this.send(request);
    const pixels = Buffer.alloc(this.width * this.height * 4);
    for (;;) {
      const type = (await this.reader.read(1))[0];
      if (type === 2) continue; // Bell
      if (type === 3) {
        const length = (await this.reader.read(7)).readUInt32BE(3);
        await this.reader.read(length);
        continue;
      }
      if (type !== 0) throw new Error(`unexpected server message ${type}`);
      const rects = (await this.reader.read(3)).readUInt16BE(1);
      for (let i = 0; i < rects; i++) {
        const header = await this.reader.read(12);
        const [x, y, w, h] = [
          header.readUInt16BE(0),
          header.readUInt16BE(2),
          header.readUInt16BE(4),
          header.readUInt16BE(6),
        ];
        const encoding = header.readInt32BE(8);
        if (encoding !== 0) throw new Error(`unexpected encoding ${encoding}`);
        const data = await this.reader.read(w * h * 4);
        for (let row = 0; row < h; row++) {
          for (let col = 0; col < w; col++) {
            const from = (row * w + col) * 4;
            const to = ((y + row) * this.width + x + col) * 4;
            pixels[to] = data[from];
            pixels[to + 1] = data[from + 1];
            pixels[to + 2] = data[from + 2];
            pixels[to + 3] = 255;
          }
        }
      }
      return { width: this.width, height: this.height, name: this.name, pixels };
    }
  }

  pointer(x: number, y: number, buttons = 0): void {
    const message = Buffer.alloc(6);
    message[0] = 5;
    message[1] = buttons;
    message.writeUInt16BE(x, 2);
    message.writeUInt16BE(y, 4);
    this.send(message);
  }

  private send(data: Buffer): void {
    this.ws.send(data, { binary: true });
  }
}
