// The agent's durable queue of unsent remote_write requests. Appends go to the newest segment
// (fsync per policy) before any attempt to send; the cursor marks the first unacknowledged
// record and survives restarts; a size bound drops the oldest segments first, counting the
// unsent samples lost; a damaged segment is read up to the damage and the rest skipped.

import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@nester/common/log/logger';
import { encodeRecord, type QueueRecord } from './record';
import { listSegments, readPayload, type RecordEntry, scanSegment, segmentPath } from './segments';

export type FsyncPolicy = 'always' | 'never';

export interface DiskQueueOptions {
  dir: string;
  maxBytes: number;
  segmentBytes: number;
  fsync: FsyncPolicy;
  log: Logger;
  /** Called with the unsent samples lost when the bound drops a segment. */
  onDropped?: (samples: number) => void;
  /** Called once per damaged segment found. */
  onCorrupt?: (segment: string, reason: string) => void;
}

interface Segment {
  seq: number;
  path: string;
  entries: RecordEntry[];
  bytes: number;
}

/** A position in the queue: the next record to send is `entries[index]` of segment `seq`. */
export interface Position {
  seq: number;
  index: number;
}

export interface Batch {
  payloads: Buffer[];
  samples: number;
  /** Where the cursor goes once this batch is acknowledged. */
  next: Position;
}

export class DiskQueue {
  private readonly segments: Segment[] = [];
  private cursor: Position;
  private fd: number;

  constructor(private readonly options: DiskQueueOptions) {
    if (options.segmentBytes * 2 > options.maxBytes) {
      throw new Error(
        `queue size bound ${options.maxBytes} B must be at least twice the segment size ${options.segmentBytes} B`,
      );
    }
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    this.cursor = this.readCursor();
    for (const seq of listSegments(options.dir)) {
      const path = segmentPath(options.dir, seq);
      if (seq < this.cursor.seq) {
        rmSync(path, { force: true });
        continue;
      }
      const { entries, damage } = scanSegment(path);
      if (damage) {
        options.log.error(
          { segment: path, damage, recordsKept: entries.length },
          'queue segment damaged; the rest of it is skipped',
        );
        options.onCorrupt?.(path, damage);
      }
      this.segments.push({ seq, path, entries, bytes: entries.reduce((sum, e) => sum + e.size, 0) });
    }
    // Writing always continues in a fresh segment, never after a possibly damaged tail.
    const seq = Math.max(this.cursor.seq, (this.segments.at(-1)?.seq ?? 0) + 1);
    this.fd = this.createSegment(seq);
    this.normaliseCursor();
  }

  append(record: QueueRecord): void {
    const bytes = encodeRecord(record);
    let head = this.segments.at(-1)!;
    if (head.bytes > 0 && head.bytes + bytes.length > this.options.segmentBytes) {
      this.syncAndClose();
      this.fd = this.createSegment(head.seq + 1);
      head = this.segments.at(-1)!;
    }
    writeSync(this.fd, bytes);
    if (this.options.fsync === 'always') fsyncSync(this.fd);
    head.entries.push({ offset: head.bytes, size: bytes.length, samples: record.samples, oldestMs: record.oldestMs });
    head.bytes += bytes.length;
    this.enforceBound();
  }

  /** The oldest unsent records, up to `maxSamples` (at least one record), or undefined if none. */
  peek(maxSamples: number): Batch | undefined {
    const start = this.segmentIndex(this.cursor.seq);
    const payloads: Buffer[] = [];
    let samples = 0;
    for (let s = start; s < this.segments.length; s++) {
      const segment = this.segments[s];
      for (let i = s === start ? this.cursor.index : 0; i < segment.entries.length; i++) {
        const entry = segment.entries[i];
        if (payloads.length > 0 && samples + entry.samples > maxSamples) {
          return { payloads, samples, next: { seq: segment.seq, index: i } };
        }
        payloads.push(readPayload(segment.path, entry));
        samples += entry.samples;
      }
    }
    if (payloads.length === 0) return undefined;
    const last = this.segments.at(-1)!;
    return { payloads, samples, next: { seq: last.seq, index: last.entries.length } };
  }

  ack(next: Position): void {
    this.cursor = next;
    this.normaliseCursor();
    this.writeCursor();
    while (this.segments.length > 1 && this.segments[0].seq < this.cursor.seq) {
      rmSync(this.segments.shift()!.path, { force: true });
    }
  }

  stats(): { bytes: number; samples: number; oldestMs: number | undefined } {
    let bytes = 0;
    let samples = 0;
    let oldestMs: number | undefined;
    for (const segment of this.segments) {
      bytes += segment.bytes;
      const start = segment.seq === this.cursor.seq ? this.cursor.index : segment.seq < this.cursor.seq ? Infinity : 0;
      for (let i = start; i < segment.entries.length; i++) {
        samples += segment.entries[i].samples;
        oldestMs = Math.min(oldestMs ?? Infinity, segment.entries[i].oldestMs);
      }
    }
    return { bytes, samples, oldestMs };
  }

  close(): void {
    this.syncAndClose();
  }

  private enforceBound(): void {
    let total = this.segments.reduce((sum, s) => sum + s.bytes, 0);
    while (total > this.options.maxBytes && this.segments.length > 1) {
      const oldest = this.segments.shift()!;
      const unsentFrom =
        oldest.seq === this.cursor.seq ? this.cursor.index : oldest.seq > this.cursor.seq ? 0 : Infinity;
      const lost = oldest.entries.slice(unsentFrom).reduce((sum, e) => sum + e.samples, 0);
      rmSync(oldest.path, { force: true });
      total -= oldest.bytes;
      if (lost > 0) {
        this.options.log.warn({ segment: oldest.path, samples: lost }, 'queue full: dropped the oldest unsent samples');
        this.options.onDropped?.(lost);
      }
      this.normaliseCursor();
    }
  }

  /** Moves the cursor off deleted segments and past the end of finished ones. */
  private normaliseCursor(): void {
    const first = this.segments[0];
    if (this.cursor.seq < first.seq) this.cursor = { seq: first.seq, index: 0 };
    let s = this.segmentIndex(this.cursor.seq);
    if (s < 0) {
      const after = this.segments.find((segment) => segment.seq > this.cursor.seq) ?? this.segments.at(-1)!;
      this.cursor = { seq: after.seq, index: 0 };
      s = this.segmentIndex(after.seq);
    }
    while (s < this.segments.length - 1 && this.cursor.index >= this.segments[s].entries.length) {
      s++;
      this.cursor = { seq: this.segments[s].seq, index: 0 };
    }
  }

  private segmentIndex(seq: number): number {
    return this.segments.findIndex((segment) => segment.seq === seq);
  }

  private createSegment(seq: number): number {
    const path = segmentPath(this.options.dir, seq);
    const fd = openSync(path, 'a', 0o600);
    if (this.options.fsync === 'always') this.syncDir();
    this.segments.push({ seq, path, entries: [], bytes: 0 });
    return fd;
  }

  private syncAndClose(): void {
    if (this.options.fsync === 'always') fsyncSync(this.fd);
    closeSync(this.fd);
  }

  private readCursor(): Position {
    try {
      const { seq, index } = JSON.parse(readFileSync(join(this.options.dir, 'cursor'), 'utf8'));
      if (Number.isInteger(seq) && Number.isInteger(index) && seq >= 0 && index >= 0) return { seq, index };
      this.options.log.warn('queue cursor file is malformed; replaying the whole queue');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.options.log.warn({ err: (err as Error).message }, 'queue cursor unreadable; replaying the whole queue');
      }
    }
    return { seq: 0, index: 0 };
  }

  /** Atomically: a crash leaves the old cursor or the new one, never a torn file. */
  private writeCursor(): void {
    const path = join(this.options.dir, 'cursor');
    writeFileSync(`${path}.tmp`, JSON.stringify(this.cursor), { mode: 0o600 });
    if (this.options.fsync === 'always') {
      const fd = openSync(`${path}.tmp`, 'r');
      fsyncSync(fd);
      closeSync(fd);
    }
    renameSync(`${path}.tmp`, path);
  }

  private syncDir(): void {
    const fd = openSync(this.options.dir, 'r');
    fsyncSync(fd);
    closeSync(fd);
  }
}
