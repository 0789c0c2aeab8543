// The segment files of the queue: `<seq>.seg`, append-only, records back to back. This file
// knows how to list, scan and name them; the queue decides what to do with them.

import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { decodeRecord } from './record';

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
}

const SEGMENT_NAME = /^(\d{20})\.seg$/;

export function segmentPath(dir: string, seq: number): string {
  return join(dir, `${String(seq).padStart(20, '0')}.seg`);
}

export function listSegments(dir: string): number[] {
  return readdirSync(dir)
    .map((name) => SEGMENT_NAME.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => Number(match[1]))
    .sort((a, b) => a - b);
}

/** Indexes every intact record of a segment; stops at the first damaged one. */
export function scanSegment(path: string): SegmentScan {
  const data = readFileSync(path);
  const entries: RecordEntry[] = [];
  for (let offset = 0; ;) {
    const result = decodeRecord(data, offset);
    if (result.kind === 'end') return { entries };
    if (result.kind === 'torn') return { entries, damage: `partial record at byte ${offset} (write cut short)` };
    if (result.kind === 'corrupt') return { entries, damage: `${result.reason} at byte ${offset}` };
    const { samples, oldestMs } = result.record;
    entries.push({ offset, size: result.size, samples, oldestMs });
    offset += result.size;
  }
}

export function readPayload(path: string, entry: RecordEntry): Buffer {
  const fd = openSync(path, 'r');
  try {
    const data = Buffer.allocUnsafe(entry.size);
    readSync(fd, data, 0, entry.size, entry.offset);
    const result = decodeRecord(data, 0);
    if (result.kind !== 'record') throw new Error(`queue record at ${path}:${entry.offset} changed on disk`);
    return result.record.payload;
  } finally {
    closeSync(fd);
  }
}
