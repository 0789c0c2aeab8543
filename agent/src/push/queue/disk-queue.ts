// The agent's durable queue of unsent remote_write requests. Appends go to the newest segment
// (fsync per policy) before any attempt to send; the cursor marks the first unacknowledged
// record and survives restarts; a size bound drops the oldest segments first, counting the
// unsent samples lost; a damaged segment is read up to the damage and the rest skipped.
//
// The directory may also hold what the queue did not put there (anyone who can write it may add
// directories, FIFOs, links or junk named like segments, or damage a segment between two sends):
// such entries are ignored and logged once, never followed, never block, and never stop the agent;
// records the queue wrote itself are lost only where their own bytes were damaged.

import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@nester/common/log/logger';
import { FileRefusedError, readRegularFile } from '../../files/read-regular-file';
import { encodeRecord, type QueueRecord } from './record';
import { listSegments, readPayload, type RecordEntry, scanSegment, segmentPath } from './segments';

/** New files: created by the queue itself, never through a link or over an existing entry. */
const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
/** How many taken names in a row the queue skips before giving up on creating a segment. */
const MAX_TAKEN_NAMES = 100;

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
  seq: bigint;
  path: string;
  entries: RecordEntry[];
  bytes: number;
  /** Found damaged (and counted) while sending. */
  damaged?: boolean;
}

/** A position in the queue: the next record to send is `entries[index]` of segment `seq`. */
export interface Position {
  /** Segment numbers are exact at any size: names are parsed as BigInt. */
  seq: bigint;
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
  private lastCursorError?: string;

  constructor(private readonly options: DiskQueueOptions) {
    if (options.segmentBytes * 2 > options.maxBytes) {
      throw new Error(
        `queue size bound ${options.maxBytes} B must be at least twice the segment size ${options.segmentBytes} B`,
      );
    }
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    const listing = listSegments(options.dir);
    const ignored = [...listing.others];
    this.cursor = this.readCursor(listing.segments.findLast((seq) => isRegularFile(segmentPath(options.dir, seq))));
    for (const seq of listing.segments) {
      const path = segmentPath(options.dir, seq);
      if (seq < this.cursor.seq) {
        if (isRegularFile(path)) this.remove(path);
        else ignored.push(path);
        continue;
      }
      let scan: ReturnType<typeof scanSegment>;
      try {
        scan = scanSegment(path);
      } catch (err) {
        ignored.push(`${path} (${err instanceof FileRefusedError ? err.message : (err as Error).message})`);
        continue;
      }
      const { entries, damage } = scan;
      if (damage) {
        options.log.error(
          { segment: path, damage, recordsKept: entries.length },
          'queue segment damaged; what cannot be read is skipped',
        );
        options.onCorrupt?.(path, damage);
      }
      this.segments.push({ seq, path, entries, bytes: entries.reduce((sum, e) => sum + e.size, 0) });
    }
    if (ignored.length > 0) {
      options.log.warn(
        { dir: options.dir, count: ignored.length, entries: ignored.slice(0, 10) },
        "the queue directory holds entries that are not the queue's; they are left alone",
      );
    }
    // Writing always continues in a fresh segment, never after a possibly damaged tail, and after
    // every name listed, the queue's or not, so that the order of the names is the order of writing.
    const last = listing.segments.at(-1) ?? 0n;
    this.fd = this.createSegment(this.cursor.seq > last ? this.cursor.seq : last + 1n);
    this.normaliseCursor();
  }

  append(record: QueueRecord): void {
    const bytes = encodeRecord(record);
    let head = this.segments.at(-1)!;
    const full = head.bytes > 0 && head.bytes + bytes.length > this.options.segmentBytes;
    if (full || !this.headInPlace(head)) head = this.rollOver();
    const offset = head.bytes;
    const written = writeSync(this.fd, bytes);
    if (written !== bytes.length) throw new Error(`short write to ${head.path}: ${written} of ${bytes.length} bytes`);
    if (this.options.fsync === 'always') fsyncSync(this.fd);
    head.entries.push({ offset, size: bytes.length, samples: record.samples, oldestMs: record.oldestMs });
    head.bytes = offset + bytes.length;
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
        const read = readPayload(segment.path, entry);
        if ('problem' in read) {
          this.damaged(segment, i, read);
          i--; // entries[i] is the next record now, if any is left
          continue;
        }
        payloads.push(read.payload);
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
      this.remove(this.segments.shift()!.path);
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

  /**
   * Whether the head is as the queue left it: its name leads to the file the queue writes (not
   * deleted, not swapped) and nobody cut or extended it. Otherwise new records go to a new segment,
   * where the damage cannot reach them.
   */
  private headInPlace(head: Segment): boolean {
    try {
      const open = fstatSync(this.fd);
      const named = lstatSync(head.path);
      return open.nlink > 0 && named.ino === open.ino && named.dev === open.dev && open.size === head.bytes;
    } catch {
      return false;
    }
  }

  /**
   * A record written earlier cannot be read back when it is due. Its bytes changed: that record
   * is skipped. Its file is gone or swapped: the rest of the segment is. Either way sending goes
   * on, and a segment is logged and counted once.
   */
  private damaged(segment: Segment, index: number, { problem, segment: whole }: { problem: string; segment: boolean }) {
    const lost = whole ? segment.entries.length - index : 1;
    if (!segment.damaged) {
      segment.damaged = true;
      this.options.log.error(
        { segment: segment.path, damage: problem, recordsLost: lost },
        'queue segment damaged after it was written; what cannot be read back is skipped',
      );
      this.options.onCorrupt?.(segment.path, problem);
    }
    if (whole) segment.entries.length = index;
    else segment.entries.splice(index, 1);
    if (whole && segment === this.segments.at(-1)) this.rollOver();
  }

  /** Continues in a new segment; if none can be created, in the current one, past its size. */
  private rollOver(): Segment {
    const head = this.segments.at(-1)!;
    let fd: number;
    try {
      fd = this.createSegment(head.seq + 1n);
    } catch (err) {
      this.options.log.error(
        { err: (err as Error).message },
        'cannot create a queue segment; appending to the last one',
      );
      return head;
    }
    const old = this.fd;
    this.fd = fd;
    try {
      if (this.options.fsync === 'always') fsyncSync(old);
    } finally {
      closeSync(old);
    }
    return this.segments.at(-1)!;
  }

  private enforceBound(): void {
    let total = this.segments.reduce((sum, s) => sum + s.bytes, 0);
    while (total > this.options.maxBytes && this.segments.length > 1) {
      const oldest = this.segments.shift()!;
      const unsentFrom =
        oldest.seq === this.cursor.seq ? this.cursor.index : oldest.seq > this.cursor.seq ? 0 : Infinity;
      const lost = oldest.entries.slice(unsentFrom).reduce((sum, e) => sum + e.samples, 0);
      this.remove(oldest.path);
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

  private segmentIndex(seq: bigint): number {
    return this.segments.findIndex((segment) => segment.seq === seq);
  }

  /** A new segment file, at the first number from `from` on whose name nothing else has taken. */
  private createSegment(from: bigint): number {
    for (let seq = from; ; seq++) {
      const path = segmentPath(this.options.dir, seq);
      try {
        const fd = openSync(path, CREATE | constants.O_APPEND, 0o600);
        if (this.options.fsync === 'always') this.syncDir();
        this.segments.push({ seq, path, entries: [], bytes: 0 });
        return fd;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || seq - from >= MAX_TAKEN_NAMES) throw err;
        this.options.log.warn(
          { segment: path },
          "queue segment name taken by an entry that is not the queue's; skipped",
        );
      }
    }
  }

  private syncAndClose(): void {
    if (this.options.fsync === 'always') fsyncSync(this.fd);
    closeSync(this.fd);
  }

  /** Deletes a file of the queue's; one already gone is fine, anything else is logged. */
  private remove(path: string): void {
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      this.options.log.warn({ file: path, err: (err as Error).message }, 'cannot delete a queue file');
    }
  }

  /**
   * Where sending resumes. A cursor that cannot be read, or that points past the last segment
   * (which the queue never writes), is not trusted: the whole queue is replayed rather than lost.
   */
  private readCursor(lastSegment: bigint | undefined): Position {
    const start = { seq: 0n, index: 0 };
    let text: string;
    try {
      text = readRegularFile(join(this.options.dir, 'cursor'), { maxBytes: 4096, noFollow: true }).data.toString();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.options.log.warn({ err: (err as Error).message }, 'queue cursor unreadable; replaying the whole queue');
      }
      return start;
    }
    const cursor = parseCursor(text);
    if (!cursor) {
      this.options.log.warn('queue cursor file is malformed; replaying the whole queue');
      return start;
    }
    if (lastSegment === undefined) return start;
    if (cursor.seq > lastSegment) {
      this.options.log.warn(
        { cursor: String(cursor.seq) },
        'queue cursor points past the last segment; replaying the whole queue',
      );
      return start;
    }
    return cursor;
  }

  /**
   * Atomically: a crash leaves the old cursor or the new one, never a torn file. A failure costs
   * only duplicates after a restart (records sent since are sent again), so it is logged, not thrown.
   */
  private writeCursor(): void {
    const path = join(this.options.dir, 'cursor');
    const tmp = `${path}.tmp`;
    try {
      const fd = createFile(tmp);
      try {
        writeSync(fd, JSON.stringify({ seq: String(this.cursor.seq), index: this.cursor.index }));
        if (this.options.fsync === 'always') fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
      this.lastCursorError = undefined;
    } catch (err) {
      const message = (err as Error).message;
      if (message !== this.lastCursorError) {
        this.options.log.error(
          { err: message },
          'cannot save the queue cursor; after a restart, records sent since the last save are sent again',
        );
      }
      this.lastCursorError = message;
    }
  }

  private syncDir(): void {
    const fd = openSync(this.options.dir, 'r');
    fsyncSync(fd);
    closeSync(fd);
  }
}

/** The cursor as written ({"seq":"12","index":3}), or as earlier versions wrote it (seq a number). */
function parseCursor(text: string): Position | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { seq, index } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(index) || (index as number) < 0) return undefined;
  if (typeof seq === 'string' && /^\d{1,64}$/.test(seq)) return { seq: BigInt(seq), index: index as number };
  if (Number.isSafeInteger(seq) && (seq as number) >= 0) return { seq: BigInt(seq as number), index: index as number };
  return undefined;
}

/** Creates `path` anew; a leftover in the way (a crash's temporary file, a link) is unlinked once. */
function createFile(path: string): number {
  try {
    return openSync(path, CREATE, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    unlinkSync(path);
    return openSync(path, CREATE, 0o600);
  }
}

function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}
