// The query API under attack, against the real binary: pathological regexes, bad bytes and
// out-of-range numbers get a clear 4xx quickly, and the adapter stays alive and healthy.

import type { TestDatabase } from '@nester/common/db/testing';
import { encodeReadRequest } from '@nester/common/prompb/read';
import { snappyCompress } from '@nester/common/prompb/snappy';
import { MatcherType } from '@nester/common/prompb/types';
import { startAdapterBinary, type AdapterProcess } from './binary';
import { createAdapterDatabase, READ_TOKEN, remoteWrite, series, writeBody } from './harness';

/** Generous: a loaded 2-core machine, but nowhere near a backtracking regex's hours. */
const ANSWER_WITHIN_MS = 15_000;

let db: TestDatabase;
let adapter: AdapterProcess;
const t0 = Date.now() - 10 * 60_000;
const LONG_VALUE = 'Debian GNU/Linux 12 (bookworm) on a rather long host name'; // 58 characters, no Z

beforeAll(async () => {
  db = await createAdapterDatabase('adapter_qattack');
  adapter = await startAdapterBinary([`--db.url=${db.url}`, '--query.timeout=10s']);
  const body = writeBody([
    series('node_os_info', { instance: 'a', pretty_name: LONG_VALUE }, [[t0, 1]]),
    series('up', { instance: 'a', job: 'node' }, [[t0, 1]]),
  ]);
  expect((await remoteWrite(adapter.url, body)).status).toBe(204);
}, 60_000);

afterAll(async () => {
  await adapter?.stop();
  await db?.drop();
});

async function get(path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${adapter.url}${path}`, {
    headers: { Authorization: `Bearer ${READ_TOKEN}` },
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  return { status: res.status, body: await res.text() };
}

async function dsQuery(queries: object[], from: unknown = t0 - 60_000, to: unknown = t0 + 60_000) {
  const res = await fetch(`${adapter.url}/api/v1/ds/query`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${READ_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ from, to, queries }),
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  return { status: res.status, body: await res.text() };
}

async function remoteRead(matchers: { type: MatcherType; name: string; value: string }[], start = t0, end = t0) {
  const res = await fetch(`${adapter.url}/api/v1/read`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${READ_TOKEN}`, 'Content-Encoding': 'snappy' },
    body: snappyCompress(
      encodeReadRequest({
        queries: [{ startTimestampMs: start, endTimestampMs: end, matchers }],
        acceptedResponseTypes: [],
      }),
    ),
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  return { status: res.status, body: await res.text() };
}

test('a catastrophic-backtracking regex is matched in linear time everywhere matchers are compiled', async () => {
  const selector = 'node_os_info{pretty_name=~"(.|.)*Z"}';
  const labels = await get(`/api/v1/labels?${new URLSearchParams({ 'match[]': selector })}`);
  expect(labels).toEqual({ status: 200, body: JSON.stringify({ status: 'success', data: [] }) });
  const values = await get(`/api/v1/label/instance/values?${new URLSearchParams({ 'match[]': selector })}`);
  expect(values.status).toBe(200);
  const query = await dsQuery([{ refId: 'A', selector }]);
  expect(query.status).toBe(200);
  expect(JSON.parse(query.body).results.A.frames).toEqual([]);
  const read = await remoteRead([
    { type: MatcherType.EQ, name: '__name__', value: 'node_os_info' },
    { type: MatcherType.RE, name: 'pretty_name', value: '(.|.)*Z' },
  ]);
  expect(read.status).toBe(200);
  // The same pattern matching: Go semantics, fully anchored.
  const matched = await get(
    `/api/v1/labels?${new URLSearchParams({ 'match[]': 'node_os_info{pretty_name=~"(.|.)*name"}' })}`,
  );
  expect(JSON.parse(matched.body).data).toEqual(['__name__', 'instance', 'pretty_name']);
  await adapter.expectUnharmed();
}, 90_000);
