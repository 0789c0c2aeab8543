// Desktop recordings: the VNC server's side of the RFB stream (server → browser bytes) with the
// time each chunk arrived. A fresh RFB client (noVNC) fed these bytes in order redraws the session:
// it sends its own set-up messages, which go nowhere, and the stream stays consistent because the
// server's answers are the ones the owner's client negotiated (noVNC's own test playback works so).
// The owner's input is not kept: the screen shows what it did.
//
// The format is @nester/contracts/nester/rfb-recording. Records are written synchronously before the relay forwards them, as for asciicast; a file cut by
// a crash plays up to its last whole record. Past `maxBytes` the recording stops (the session goes
// on) and a last zero-length record marks the cut.

import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { asciiJson, RFB_RECORD_HEAD_BYTES, RFB_RECORDING_MAGIC } from '@nester/contracts/nester/rfb-recording';

const RECORD_HEAD = RFB_RECORD_HEAD_BYTES;

export interface RfbRecordingHeader {
  title: string;
}

export class RfbRecordingWriter {
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private readonly startedAt = performance.now();
  private closed = false;
  /** Bytes written so far, header included. */
  written = 0;
  /** The size cap stopped the recording. */
  truncated = false;
  /** The write error that stopped the recording, if one did. */
  failed?: Error;

  constructor(
    readonly path: string,
    header: RfbRecordingHeader,
    private readonly maxBytes: number,
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.fd = openSync(path, 'wx', 0o600);
    this.write(
      Buffer.from(
        `${RFB_RECORDING_MAGIC}${asciiJson({ ...header, timestamp: Math.floor(Date.now() / 1000) })}\n`,
        'latin1',
      ),
    );
  }

  /** Records server → browser bytes. */
  output(bytes: Buffer): void {
    if (this.closed || this.failed || this.truncated || !bytes.length) return;
    if (this.written + RECORD_HEAD * 2 + bytes.length > this.maxBytes) {
      this.truncated = true;
      this.write(this.head(0));
      return;
    }
    this.write(this.head(bytes.length));
    this.write(bytes);
  }

  /** Closes the file; returns the SHA-256 of what was written. */
  close(): string {
    if (!this.closed) {
      this.closed = true;
      closeSync(this.fd);
    }
    return this.hash.copy().digest('hex');
  }

  private head(length: number): Buffer {
    const head = Buffer.alloc(RECORD_HEAD);
    head.writeUInt32BE(Math.min(0xffffffff, Math.round(performance.now() - this.startedAt)), 0);
    head.writeUInt32BE(length, 4);
    return head;
  }

  private write(data: Buffer): void {
    if (this.closed || this.failed) return;
    this.hash.update(data);
    try {
      let done = 0;
      while (done < data.length) done += writeSync(this.fd, data, done);
      this.written += data.length;
    } catch (err) {
      // A full disk ends the recording, not the session; the audit row keeps what was written.
      this.failed = err as Error;
    }
  }
}
