// remote_read's SQL ends with the request, as a PromQL query's does: past the query timeout the
// sample read is cancelled in PostgreSQL (statement_timeout) and the client gets a clear 503;
// when the client goes away, the read is cancelled (pg_cancel_backend) rather than left
// running. A lock on the samples table makes the read wait in PostgreSQL for as long as the
// test wants: it can only end by being cancelled.

import type { PoolClient } from 'pg';
import { encodeReadRequest } from '@nester/common/prompb/read';
import { snappyCompress } from '@nester/common/prompb/snappy';
import { MatcherType } from '@nester/common/prompb/types';
import { eventually } from '@nester/testing/services';
import { READ_TOKEN, remoteWrite, runningSampleReads, series, startHarness, writeBody, type Harness } from './harness';

/** The query timeout that ends the read in the first harness, and that cannot in the second. */
let h: Harness;
let patient: Harness;
let locker: PoolClient | undefined;
const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;

beforeAll(async () => {
  [h, patient] = await Promise.all([
    startHarness('remote_read_timeout', { queryTimeoutMs: 1_500 }),
    // Ten minutes: far past the test's wait, so only the client's going away can end its read.
    startHarness('remote_read_abort', { queryTimeoutMs: 600_000 }),
  ]);
  const body = writeBody([
    series('m_total', { job: 'a' }, [
      [t0, 1],
      [t0 + 15_000, 2],
    ]),
  ]);
  for (const one of [h, patient]) expect((await remoteWrite(one.url, body)).status).toBe(204);
}, 60_000);

afterAll(async () => {
  await Promise.all([h?.stop(), patient?.stop()]);
});

afterEach(async () => {
  await locker?.query('ROLLBACK');
  locker?.release();
  locker = undefined;
});

async function lockSamples(on: Harness): Promise<void> {
  locker = await on.pool.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE samples IN ACCESS EXCLUSIVE MODE');
}

function remoteRead(on: Harness, signal?: AbortSignal): Promise<Response> {
  return fetch(`${on.url}/api/v1/read`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${READ_TOKEN}`,
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
    },
    body: snappyCompress(
      encodeReadRequest({
        queries: [
          {
            startTimestampMs: t0 - 1000,
            endTimestampMs: t0 + 60_000,
            matchers: [{ type: MatcherType.EQ, name: '__name__', value: 'm_total' }],
          },
        ],
        acceptedResponseTypes: [0],
      }),
    ),
    signal,
  });
}

test('unlocked, the remote_read answers (the lock, not the request, is what the other tests vary)', async () => {
  for (const on of [h, patient]) expect((await remoteRead(on)).status).toBe(200);
});

test('past the query timeout: 503 saying so, and the read is cancelled in PostgreSQL', async () => {
  await lockSamples(h);
  const res = await remoteRead(h);
  expect(res.status).toBe(503);
  expect(await res.text()).toMatch(/remote_read timed out: .* query timeout \(1500 ms\)/);
  await eventually(async () => (await runningSampleReads(h.pool)) === 0, 'no sample read left in pg_stat_activity');
});

test('when the client goes away: the read is cancelled in PostgreSQL', async () => {
  await lockSamples(patient);
  const abort = new AbortController();
  const asked = remoteRead(patient, abort.signal).catch(() => undefined);
  await eventually(async () => (await runningSampleReads(patient.pool)) === 1, 'the sample read waiting on the lock');
  abort.abort();
  await asked;
  // The lock is still held and the statement_timeout is ten minutes away: only the
  // cancellation on the client's leaving can end the read.
  await eventually(
    async () => (await runningSampleReads(patient.pool)) === 0,
    'no sample read left in pg_stat_activity',
  );
});
