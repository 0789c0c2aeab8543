// Terminal recordings in asciicast v2 (newline-delimited JSON: a header, then [time, code, data]
// events), appended as the session runs so that a crash leaves a file that plays up to the last
// line written. pty output is UTF-8 split wherever the reads fell: a streaming decoder holds an
// incomplete character back until its remaining bytes arrive.

import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

export interface AsciicastHeader {
  width: number;
  height: number;
  title?: string;
  env?: Record<string, string>;
}

export class AsciicastWriter {
  private readonly stream: WriteStream;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private readonly hash = createHash('sha256');
  private readonly startedAt = performance.now();
  private closed = false;

  constructor(
    readonly path: string,
    header: AsciicastHeader,
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.stream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    this.stream.on('error', () => {}); // surfaced through close(); a full disk must not crash the relay
    this.line({ version: 2, ...header, timestamp: Math.floor(Date.now() / 1000) });
  }

  /** Records pty output; false means the file is behind and the source should pause until 'drain'. */
  output(bytes: Buffer): boolean {
    const text = this.decoder.decode(bytes, { stream: true });
    return text ? this.event('o', text) : true;
  }

  resize(cols: number, rows: number): boolean {
    return this.event('r', `${cols}x${rows}`);
  }

  onDrain(listener: () => void): void {
    this.stream.on('drain', listener);
  }

  /** Flushes the decoder and the file; resolves with the SHA-256 of what was written. */
  async close(): Promise<string> {
    if (!this.closed) {
      const rest = this.decoder.decode();
      if (rest) this.event('o', rest);
      this.closed = true;
      await new Promise<void>((resolve) => this.stream.end(resolve));
    }
    return this.hash.copy().digest('hex');
  }

  private event(code: 'o' | 'r', data: string): boolean {
    const seconds = Math.round(performance.now() - this.startedAt) / 1000;
    return this.line([seconds, code, data]);
  }

  private line(value: unknown): boolean {
    if (this.closed) return true;
    const text = `${JSON.stringify(value)}\n`;
    this.hash.update(text);
    return this.stream.write(text);
  }
}

/** A recording as served: complete lines only, so a file cut by a crash still parses. */
export function completeLines(content: Buffer): Buffer {
  const last = content.lastIndexOf(0x0a);
  return last < 0 ? Buffer.alloc(0) : content.subarray(0, last + 1);
}
