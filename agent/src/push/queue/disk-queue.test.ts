import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@nester/common/log/logger';
import { memoryLogger } from '../../../test/support/memory-logger';
import { DiskQueue, type DiskQueueOptions } from './disk-queue';
import { crc32c } from './crc32c';

const log = createLogger({ name: 'test', level: 'silent' });
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'queue-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (extra: Partial<DiskQueueOptions> = {}) =>
  new DiskQueue({ dir, maxBytes: 1 << 20, segmentBytes: 4096, fsync: 'always', log, ...extra });
const record = (n: number, samples = 10) => ({ samples, oldestMs: 1000 * n, payload: Buffer.from(`payload-${n}`) });
const drain = (queue: DiskQueue, maxSamples = 1e9) => {
  const sent: string[] = [];
  for (let batch = queue.peek(maxSamples); batch; batch = queue.peek(maxSamples)) {
    sent.push(...batch.payloads.map(String));
    queue.ack(batch.next);
  }
  return sent;
};

test('CRC-32C matches the standard check value', () => {
  expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
});

test('records come out in order, batched by sample count, and only once acknowledged', () => {
  const queue = open();
  for (let n = 1; n <= 5; n++) queue.append(record(n));
  const first = queue.peek(25)!;
  expect(first.payloads.map(String)).toEqual(['payload-1', 'payload-2']);
  expect(queue.peek(25)!.payloads.map(String)).toEqual(['payload-1', 'payload-2']); // not acknowledged yet
  queue.ack(first.next);
  expect(queue.stats()).toMatchObject({ samples: 30, oldestMs: 3000 });
  expect(drain(queue)).toEqual(['payload-3', 'payload-4', 'payload-5']);
  expect(queue.peek(100)).toBeUndefined();
  expect(queue.stats().samples).toBe(0);
});

test('a restart replays exactly what was not acknowledged, across segments', () => {
  const queue = open({ segmentBytes: 64 });
  for (let n = 1; n <= 10; n++) queue.append(record(n));
  queue.ack(queue.peek(30)!.next);
  queue.close();
  const reopened = open({ segmentBytes: 64 });
  reopened.append(record(11));
  expect(drain(reopened)).toEqual([4, 5, 6, 7, 8, 9, 10, 11].map((n) => `payload-${n}`));
  expect(readdirSync(dir).filter((f) => f.endsWith('.seg')).length).toBe(1); // sent segments are deleted
});

test('the size bound drops the oldest unsent samples first and counts them', () => {
  const dropped: number[] = [];
  const queue = open({ segmentBytes: 100, maxBytes: 200, onDropped: (n) => dropped.push(n) });
  for (let n = 1; n <= 12; n++) queue.append(record(n, 7));
  const sent = drain(queue);
  expect(sent.at(-1)).toBe('payload-12');
  expect(sent[0]).not.toBe('payload-1');
  const lost = dropped.reduce((a, b) => a + b, 0);
  expect(lost + sent.length * 7).toBe(12 * 7);
  expect(lost).toBeGreaterThan(0);
});

test('a corrupt segment is skipped from the damage on, counted, and the rest is delivered', () => {
  const queue = open({ segmentBytes: 64 });
  for (let n = 1; n <= 6; n++) queue.append(record(n));
  queue.close();
  const segments = readdirSync(dir)
    .filter((f) => f.endsWith('.seg'))
    .sort();
  const victim = join(dir, segments[0]);
  const bytes = readFileSync(victim);
  bytes[bytes.length - 3] ^= 0xff; // flip a byte in the segment's last record
  writeFileSync(victim, bytes);
  const corrupt: string[] = [];
  const reopened = open({ segmentBytes: 64, onCorrupt: (segment) => corrupt.push(segment) });
  const sent = drain(reopened);
  expect(corrupt).toEqual([victim]);
  expect(sent).toContain('payload-6');
  expect(sent.length).toBe(5);
});

test('a record whose bytes changed costs only itself: the records after it in its segment are delivered', () => {
  const corrupt: string[] = [];
  const queue = open();
  for (let n = 1; n <= 5; n++) queue.append(record(n));
  queue.close();
  const [segment] = readdirSync(dir).filter((f) => f.endsWith('.seg'));
  const bytes = readFileSync(join(dir, segment));
  bytes[2 * 29 + 25] ^= 0xff; // in the payload of the third record (29 bytes each)
  writeFileSync(join(dir, segment), bytes);
  const reopened = open({ onCorrupt: (path) => corrupt.push(path) });
  expect(drain(reopened)).toEqual(['payload-1', 'payload-2', 'payload-4', 'payload-5']);
  expect(corrupt).toEqual([join(dir, segment)]);
});

test('a torn record at the end (a crash mid-write) loses only that record', () => {
  const queue = open();
  for (let n = 1; n <= 3; n++) queue.append(record(n));
  queue.close();
  const [segment] = readdirSync(dir).filter((f) => f.endsWith('.seg'));
  const bytes = readFileSync(join(dir, segment));
  writeFileSync(join(dir, segment), bytes.subarray(0, bytes.length - 5));
  expect(drain(open())).toEqual(['payload-1', 'payload-2']);
});

test('files are private to the agent', () => {
  const queue = open();
  queue.append(record(1));
  queue.ack(queue.peek(100)!.next);
  queue.close();
  for (const name of readdirSync(dir)) {
    const { mode } = statSync(join(dir, name));
    expect(mode & 0o077).toBe(0);
  }
});

describe('entries the queue did not write (whoever can write its directory)', () => {
  const segment = (n: bigint | number) => join(dir, `${String(n).padStart(20, '0')}.seg`);

  test('directories, FIFOs, links and numbers past 2^53 named like segments are ignored, logged once, and cost nothing', () => {
    mkdirSync(segment(1));
    execFileSync('mkfifo', [segment(2)]);
    symlinkSync('/dev/zero', segment(3));
    writeFileSync(join(dir, '99999999999999999999.seg'), 'junk');
    writeFileSync(segment(2n ** 53n + 1n), 'junk');
    writeFileSync(join(dir, '7.seg'), 'junk');
    mkdirSync(join(dir, 'lost+found'));
    const first = memoryLogger();
    const queue = open({ segmentBytes: 64, log: first.log });
    for (let n = 1; n <= 4; n++) queue.append(record(n));
    queue.ack(queue.peek(10)!.next);
    queue.close();
    const foreignLogs = (lines: Record<string, unknown>[]) =>
      lines.filter((l) => /not the queue's/.test(String(l.msg)));
    expect(foreignLogs(first.lines())).toHaveLength(1);

    const second = memoryLogger();
    const reopened = open({ segmentBytes: 64, log: second.log });
    reopened.append(record(5));
    expect(drain(reopened)).toEqual([2, 3, 4, 5].map((n) => `payload-${n}`));
    expect(foreignLogs(second.lines())).toHaveLength(1);
    expect(statSync(segment(1)).isDirectory()).toBe(true); // left alone
    expect(statSync(segment(2)).isFIFO()).toBe(true);
  });

  test('a segment number past 2^53 is read exactly: the queue opens and keeps its own records in order', () => {
    const queue = open();
    queue.append(record(1));
    queue.close();
    writeFileSync(join(dir, '99999999999999999999.seg'), 'junk');
    const reopened = open();
    reopened.append(record(2));
    reopened.close();
    expect(drain(open())).toEqual(['payload-1', 'payload-2']);
  });

  test("never writes through a link planted under the next segment name or the cursor's temporary name", () => {
    const victim = join(mkdtempSync(join(tmpdir(), 'victim-')), 'passwd');
    writeFileSync(victim, 'root:x:0:0\n');
    const queue = open({ segmentBytes: 64 });
    queue.append(record(1));
    for (let n = 2; n <= 4; n++) symlinkSync(victim, segment(n));
    symlinkSync(victim, join(dir, 'cursor.tmp'));
    for (let n = 2; n <= 6; n++) queue.append(record(n));
    expect(drain(queue)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `payload-${n}`));
    queue.close();
    expect(readFileSync(victim, 'utf8')).toBe('root:x:0:0\n');
    expect(drain(open({ segmentBytes: 64 }))).toEqual([]); // the cursor was saved all the same
  });

  test('a cursor pointing past every segment replays the queue instead of deleting it', () => {
    const queue = open();
    for (let n = 1; n <= 3; n++) queue.append(record(n));
    queue.close();
    writeFileSync(join(dir, 'cursor'), '{"seq":1e300,"index":0}');
    expect(drain(open())).toEqual(['payload-1', 'payload-2', 'payload-3']);
  });

  test('a segment cut short or deleted between two sends costs only its own records; sending goes on', () => {
    const corrupt: string[] = [];
    const queue = open({ segmentBytes: 64, onCorrupt: (path) => corrupt.push(path) });
    for (let n = 1; n <= 8; n++) queue.append(record(n));
    const segments = readdirSync(dir)
      .filter((f) => f.endsWith('.seg'))
      .sort()
      .map((f) => join(dir, f));
    expect(segments.length).toBeGreaterThanOrEqual(4);
    const perSegment = segments.map((path) => readFileSync(path).length / 29);
    truncateSync(segments[0], 40); // its second record is cut
    rmSync(segments[1]);
    const sent = drain(queue);
    expect(sent[0]).toBe('payload-1');
    expect(sent).toContain('payload-8');
    expect(sent.length).toBe(8 - (perSegment[0] - 1) - perSegment[1]);
    expect(corrupt).toEqual([segments[0], segments[1]]);
    queue.append(record(9));
    expect(drain(queue)).toEqual(['payload-9']);
  });
});
