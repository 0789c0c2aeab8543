// remote_write under fuzz, against the real binary: random and mutated snappy + protobuf bodies,
// bombs, wrong headers. Every answer is 204 (a valid body, all of it stored), 400, 413 or 415,
// never a 5xx; what was stored stays stored; the process stays alive and healthy.

import type { TestDatabase } from '@nester/testing/database';
import { snappyCompress } from '@nester/common/prompb/snappy';
import { encodeWriteRequest } from '@nester/common/prompb/write';
import { connect } from 'node:net';
import { Pool } from 'pg';
import { startAdapterBinary, type AdapterProcess } from './binary';
import { createAdapterDatabase, remoteWrite, series, storedRows, WRITE_TOKEN, writeBody } from './harness';
import { seeded, type Random } from '@nester/testing/random';

const MAX_BODY = 1 << 20;
const MAX_DECOMPRESSED = 8 << 20;
let db: TestDatabase;
let pool: Pool;
let adapter: AdapterProcess;
const t0 = Date.now() - 10 * 60_000;

beforeAll(async () => {
  db = await createAdapterDatabase('adapter_wfuzz');
  adapter = await startAdapterBinary([
    `--db.url=${db.url}`,
    `--write.max-body-size=${MAX_BODY}`,
    `--write.max-decompressed-size=${MAX_DECOMPRESSED}`,
  ]);
  pool = new Pool({ connectionString: db.url, max: 2 });
  const body = writeBody([
    series('before_fuzz', { instance: 'a' }, [
      [t0, 1],
      [t0 + 1000, 2],
    ]),
  ]);
  expect((await remoteWrite(adapter.url, body)).status).toBe(204);
}, 60_000);

afterAll(async () => {
  await adapter?.stop();
  await pool?.end();
  await db?.drop();
});

function varint(value: number): number[] {
  const bytes = [];
  for (; value >= 0x80; value = Math.floor(value / 128)) bytes.push((value & 0x7f) | 0x80);
  bytes.push(value);
  return bytes;
}

/** A block of `count` 2-byte-offset copies of 64 after a 1-byte literal: the densest expansion. */
function expansion(count: number, declared = 1 + 64 * count): Buffer {
  return Buffer.concat([
    Buffer.from(varint(declared)),
    Buffer.from([0, 0x61]),
    Buffer.alloc(count * 3).fill(Buffer.from([(63 << 2) | 2, 1, 0])),
  ]);
}

function protobufOf(random: Random, i: number): Buffer {
  return encodeWriteRequest({
    timeseries: [
      series('fuzz_metric', { i: String(i % 7), zone: random.pick(['a', 'b', '\u00e9', '']) || 'x' }, [
        [t0 + i, random.next()],
        [t0 + i + 1, random.next()],
      ]),
    ],
  });
}

/** A body that must be refused, with what may answer it. */
function badBody(
  random: Random,
  i: number,
): { what: string; body: Buffer; headers?: Record<string, string>; accept: number[] } {
  const proto = protobufOf(random, i);
  const compressed = snappyCompress(proto);
  switch (random.int(10)) {
    case 0:
      return { what: 'random bytes', body: random.bytes(random.int(300)), accept: [400, 413] };
    case 1:
      return { what: 'truncated', body: compressed.subarray(0, random.int(compressed.length)), accept: [400, 413] };
    case 2: {
      const flipped = Buffer.from(compressed);
      for (let k = 0; k <= random.int(3); k++) flipped[random.int(flipped.length)] ^= 1 << random.int(8);
      return { what: 'bit flips after snappy', body: flipped, accept: [204, 400, 413] };
    }
    case 3: {
      const flipped = Buffer.from(proto);
      for (let k = 0; k <= random.int(3); k++) flipped[random.int(flipped.length)] ^= 1 << random.int(8);
      return { what: 'bit flips in the protobuf', body: snappyCompress(flipped), accept: [204, 400] };
    }
    case 4:
      return { what: 'declares 4 GiB in 5 bytes', body: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), accept: [413] };
    case 5:
      return { what: 'declares more than its input can expand to', body: expansion(10, 64 * 64), accept: [400] };
    case 6:
      return {
        what: 'a bomb over --write.max-decompressed-size',
        body: expansion(Math.ceil(MAX_DECOMPRESSED / 64) + random.int(1000)),
        accept: [413],
      };
    case 7:
      return {
        what: 'a bomb just under the limit, expanding to garbage',
        body: expansion(Math.floor((MAX_DECOMPRESSED - 1) / 64)),
        accept: [400],
      };
    case 8:
      return {
        what: 'wrong content encoding or type',
        body: random.int(2) ? compressed : proto,
        headers: random.pick<Record<string, string>>([
          { 'Content-Encoding': 'gzip' },
          { 'Content-Encoding': '' },
          { 'Content-Type': 'application/json' },
          { 'Content-Type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request' },
        ]),
        accept: [415],
      };
    default:
      return { what: 'over --write.max-body-size', body: random.bytes(MAX_BODY + 1 + random.int(1000)), accept: [413] };
  }
}

test('fuzzed remote_write bodies: 204 for the valid ones (all stored), 400/413/415 for the rest', async () => {
  const random = seeded(1103);
  const before = await storedRows(pool);
  const statuses = new Map<number, number>();
  const wrong: { what: string; status: number; text: string }[] = [];
  let validSamples = 0;
  const deadline = Date.now() + 15_000;
  for (let i = 0; i < 160 && Date.now() < deadline; i++) {
    if (i % 4 === 0) {
      // A valid body among the bad ones: every sample of it must be stored.
      const body = writeBody([
        series('fuzz_valid', { n: String(i) }, [
          [t0 + i, i],
          [t0 + i + 500, -i],
        ]),
      ]);
      const { status, text } = await remoteWrite(adapter.url, body);
      if (status !== 204) wrong.push({ what: `valid body ${i}`, status, text });
      validSamples += 2;
      continue;
    }
    const { what, body, headers, accept } = badBody(random, i);
    const { status, text } = await remoteWrite(adapter.url, body, headers);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (!accept.includes(status)) wrong.push({ what, status, text: text.slice(0, 200) });
    if (i % 50 === 1)
      expect((await fetch(`${adapter.url}/-/healthy`, { signal: AbortSignal.timeout(15_000) })).status).toBe(200);
  }
  expect(wrong).toEqual([]);
  for (const status of [400, 413, 415]) expect(statuses.get(status)).toBeGreaterThan(0);
  const after = new Set(await storedRows(pool));
  for (const row of before) expect(after.has(row)).toBe(true);
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM samples JOIN series ON series.id = series_id WHERE metric_name = 'fuzz_valid'`,
  );
  expect(Number(rows[0].n)).toBe(validSamples);
  await adapter.expectUnharmed();
}, 120_000);

test('connections cut mid-upload, mid-answer or mid-headers leave the adapter serving', async () => {
  const cut = (head: string, body: Buffer, afterMs: number) =>
    new Promise<void>((resolve) => {
      const socket = connect(adapter.port, '127.0.0.1', () => {
        socket.write(head);
        socket.write(body);
        setTimeout(() => socket.resetAndDestroy(), afterMs);
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve());
    });
  const write = (length: number) =>
    `POST /api/v1/write HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer ${WRITE_TOKEN}\r\nContent-Encoding: snappy\r\n` +
    `Content-Type: application/x-protobuf\r\nContent-Length: ${length}\r\n\r\n`;
  const body = writeBody([series('cut_metric', { i: '1' }, [[t0, 1]])]);
  const random = seeded(99);
  for (let i = 0; i < 30; i++) {
    switch (i % 3) {
      case 0: // the body stops short of its Content-Length
        await cut(write(body.length + 100), body, random.int(20));
        break;
      case 1: // whole request, then gone before (or while) the answer is written
        await cut(write(body.length), body, random.int(3));
        break;
      default: // headers cut in the middle
        await cut(write(body.length).slice(0, random.int(60)), Buffer.alloc(0), random.int(5));
    }
  }
  expect((await remoteWrite(adapter.url, writeBody([series('after_cuts', {}, [[t0, 1]])]))).status).toBe(204);
  await adapter.expectUnharmed();
}, 60_000);
