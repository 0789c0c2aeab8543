// The segment files of the queue: `<seq>.seg`, append-only, records back to back. This file
// knows how to list, scan and name them; the queue decides what to do with them.
//
// The queue directory may hold entries that are not the queue's (a directory or a FIFO named
// like a segment, a symbolic link, names with numbers past 2^53): listing parses numbers exactly
// (BigInt), reading opens without blocking or following links and checks for a regular file, and
// a record is read on its own (at most MAX_PAYLOAD_BYTES), never a whole file of unknown size.

import { closeSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { openRegularFile } from '../../files/read-regular-file';
import { decodeRecord, HEADER_BYTES, MAX_PAYLOAD_BYTES } from './record';

export interface RecordEntry {
  offset: number;
  size: number;
  samples: number;
  oldestMs: number;
}

export interface SegmentScan {
  entries: RecordEntry[];
  /** Why the scan stopped before the end of the file, if it did. */
  damage?: string;
  /** Bytes in the file when it was scanned. */
  fileBytes: number;
}

const SEGMENT_NAME = /^(\d{20,})\.seg$/;

export function segmentName(seq: bigint): string {
  return `${seq.toString().padStart(20, '0')}.seg`;
}

export function segmentPath(dir: string, seq: bigint): string {
  return join(dir, segmentName(seq));
}

/** The number of a segment file name, or undefined for any other name (only one spelling per number). */
export function parseSegmentName(name: string): bigint | undefined {
  const match = SEGMENT_NAME.exec(name);
  if (!match) return undefined;
  const seq = BigInt(match[1]);
  return segmentName(seq) === name ? seq : undefined;
}

export interface QueueListing {
  /** Numbers of entries named like segments, in order (each may still turn out not to be a file). */
  segments: bigint[];
  /** Names that are neither segments nor the cursor. */
  others: string[];
}

export function listSegments(dir: string): QueueListing {
  const segments: bigint[] = [];
  const others: string[] = [];
  for (const name of readdirSync(dir)) {
    const seq = parseSegmentName(name);
    if (seq !== undefined) segments.push(seq);
    else if (name !== 'cursor' && name !== 'cursor.tmp') others.push(name);
  }
  segments.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { segments, others };
}

/**
 * Indexes every intact record of a segment. A record whose checksum fails but whose length is
 * plausible is skipped alone (its bytes changed; the next record starts right after it); a torn
 * record or an impossible length ends the scan. Throws FileRefusedError when the entry is not a
 * regular file (not the queue's).
 */
export function scanSegment(path: string): SegmentScan {
  const { fd, stats } = openRegularFile(path, { noFollow: true });
  try {
    const entries: RecordEntry[] = [];
    const fileBytes = stats.size;
    let firstSkipped: string | undefined;
    let skipped = 0;
    const done = (stop?: string): SegmentScan => {
      const damage: string[] = [];
      if (firstSkipped) damage.push(`${firstSkipped}: ${skipped} record${skipped > 1 ? 's' : ''} skipped`);
      if (stop) damage.push(`${stop}: the rest skipped`);
      return { entries, fileBytes, ...(damage.length > 0 ? { damage: damage.join('; ') } : {}) };
    };
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    for (let offset = 0; ;) {
      if (offset === fileBytes) return done();
      const torn = `partial record at byte ${offset} (write cut short)`;
      if (readAt(fd, header, offset) < HEADER_BYTES) return done(torn);
      const length = header.readUInt32LE(0);
      if (length > MAX_PAYLOAD_BYTES) return done(`record length ${length} is impossible at byte ${offset}`);
      if (offset + HEADER_BYTES + length > fileBytes) return done(torn);
      const data = Buffer.allocUnsafe(HEADER_BYTES + length);
      if (readAt(fd, data, offset) < data.length) return done(torn);
      const result = decodeRecord(data, 0);
      if (result.kind === 'record') {
        const { samples, oldestMs } = result.record;
        entries.push({ offset, size: result.size, samples, oldestMs });
      } else {
        firstSkipped ??= `checksum mismatch at byte ${offset}`;
        skipped++;
      }
      offset += data.length;
    }
  } finally {
    closeSync(fd);
  }
}

export type PayloadRead =
  | { payload: Buffer }
  /** `segment`: the whole file is gone or swapped; otherwise only this record's bytes changed. */
  | { problem: string; segment: boolean };

/** A record's payload, or why it cannot be read back (the file changed, vanished, was swapped). */
export function readPayload(path: string, entry: RecordEntry): PayloadRead {
  let fd: number;
  try {
    fd = openRegularFile(path, { noFollow: true }).fd;
  } catch (err) {
    return { problem: (err as Error).message, segment: true };
  }
  try {
    const data = Buffer.allocUnsafe(entry.size);
    const read = readAt(fd, data, entry.offset);
    const result = decodeRecord(data.subarray(0, read), 0);
    if (result.kind !== 'record' || result.size !== entry.size) {
      return { problem: `the record at byte ${entry.offset} changed on disk`, segment: false };
    }
    return { payload: result.record.payload };
  } catch (err) {
    return { problem: (err as Error).message, segment: false };
  } finally {
    closeSync(fd);
  }
}

/** Fills `buffer` from `position` on, short only at the end of the file. */
function readAt(fd: number, buffer: Buffer, position: number): number {
  let done = 0;
  while (done < buffer.length) {
    const read = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (read === 0) break;
    done += read;
  }
  return done;
}
