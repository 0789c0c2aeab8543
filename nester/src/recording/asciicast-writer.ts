// Terminal recordings in asciicast v2 (newline-delimited JSON: a header, then [time, code, data]
// events), appended as the session runs so that a crash leaves a file that plays up to the last
// line written. Lines are written synchronously, before the relay forwards the bytes: whatever a
// viewer has seen is in the file (the page cache keeps it even if nester is killed). pty output is UTF-8 split wherever the reads fell: a streaming decoder holds an
// incomplete character back until its remaining bytes arrive.

import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface AsciicastHeader {
  width: number;
  height: number;
  title?: string;
  env?: Record<string, string>;
}

export class AsciicastWriter {
  private readonly fd: number;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private readonly hash = createHash('sha256');
  private readonly startedAt = performance.now();
  private closed = false;
  /** The write error that stopped the recording, if one did. */
  failed?: Error;

  constructor(
    readonly path: string,
    header: AsciicastHeader,
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.fd = openSync(path, 'wx', 0o600);
    this.line({ version: 2, ...header, timestamp: Math.floor(Date.now() / 1000) });
  }

  /** Records pty output. */
  output(bytes: Buffer): void {
    const text = this.decoder.decode(bytes, { stream: true });
    if (text) this.event('o', text);
  }

  resize(cols: number, rows: number): void {
    this.event('r', `${cols}x${rows}`);
  }

  /** Flushes the decoder and closes the file; returns the SHA-256 of what was written. */
  close(): string {
    if (!this.closed) {
      const rest = this.decoder.decode();
      if (rest) this.event('o', rest);
      this.closed = true;
      closeSync(this.fd);
    }
    return this.hash.copy().digest('hex');
  }

  private event(code: 'o' | 'r', data: string): void {
    const seconds = Math.round(performance.now() - this.startedAt) / 1000;
    this.line([seconds, code, data]);
  }

  private line(value: unknown): void {
    if (this.closed || this.failed) return;
    const text = `${JSON.stringify(value)}\n`;
    this.hash.update(text);
    try {
      writeSync(this.fd, text);
    } catch (err) {
      // A full disk ends the recording, not the session; the audit row keeps what was written.
      this.failed = err as Error;
    }
  }
}

/** A recording as served: complete lines only, so a file cut by a crash still parses. */
export function completeLines(content: Buffer): Buffer {
  const last = content.lastIndexOf(0x0a);
  return last < 0 ? Buffer.alloc(0) : content.subarray(0, last + 1);
}
