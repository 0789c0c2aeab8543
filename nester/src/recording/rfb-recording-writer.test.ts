import { parseRfbRecording } from '@nester/contracts/nester/rfb-recording';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seeded } from '@nester/testing/random';
import { RfbRecordingWriter } from './rfb-recording-writer';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rfbrec-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('records the server bytes in order with their times; the file is private and hashed', () => {
  const path = join(dir, 'h_1', 's_1.rfbrec');
  const writer = new RfbRecordingWriter(path, { title: 'héllo / alice' }, 1024 * 1024);
  const chunks = [Buffer.from('RFB 003.008\n'), Buffer.from([1, 1]), Buffer.alloc(5000, 7)];
  for (const chunk of chunks) writer.output(chunk);
  writer.output(Buffer.alloc(0)); // nothing to record, and no zero-length record (that means "cut")
  const sha = writer.close();
  const file = readFileSync(path);
  const parsed = parseRfbRecording(file);
  expect(parsed.header).toMatchObject({ title: 'héllo / alice', timestamp: expect.any(Number) });
  expect(parsed.records.map((r) => Buffer.from(r.data))).toEqual(chunks);
  expect(parsed.truncated).toBe(false);
  expect(parsed.wholeLength).toBe(file.length);
  const times = parsed.records.map((r) => r.at);
  expect([...times].sort((a, b) => a - b)).toEqual(times);
  expect(sha).toBe(createHash('sha256').update(file).digest('hex'));
  expect(statSync(path).mode & 0o777).toBe(0o600);
});

test('stops at the size cap with a mark, and the session bytes past it are not kept', () => {
  const path = join(dir, 'capped.rfbrec');
  const writer = new RfbRecordingWriter(path, { title: 't' }, 4096);
  for (let i = 0; i < 10; i++) writer.output(Buffer.alloc(1000, i));
  writer.close();
  const file = readFileSync(path);
  expect(file.length).toBeLessThanOrEqual(4096);
  const parsed = parseRfbRecording(file);
  expect(parsed.truncated).toBe(true);
  expect(parsed.records.length).toBe(3);
  expect(writer.truncated).toBe(true);
});

test('a file cut anywhere (a crash) parses up to its last whole record; garbage is refused', () => {
  const path = join(dir, 'cut.rfbrec');
  const writer = new RfbRecordingWriter(path, { title: 't' }, 1024 * 1024);
  const random = seeded(17);
  for (let i = 0; i < 20; i++) writer.output(Buffer.alloc(random.between(1, 300), i));
  writer.close();
  const whole = readFileSync(path);
  const headerEnd = whole.indexOf(0x0a, 'NESTER-RFB-RECORDING 1\n'.length) + 1;
  for (let cut = headerEnd; cut <= whole.length; cut += random.between(1, 37)) {
    const parsed = parseRfbRecording(whole.subarray(0, cut));
    expect(parsed.wholeLength).toBeLessThanOrEqual(cut);
    for (const [i, record] of parsed.records.entries()) expect(record.data.every((b) => b === i)).toBe(true);
  }
  writeFileSync(join(dir, 'bad'), 'not a recording');
  expect(() => parseRfbRecording(readFileSync(join(dir, 'bad')))).toThrow(/not a nester desktop recording/);
  expect(() => parseRfbRecording(Buffer.from('NESTER-RFB-RECORDING 1\n{"title":'))).toThrow(/incomplete/);
});
