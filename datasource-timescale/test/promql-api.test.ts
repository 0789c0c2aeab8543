// /api/v1/query and /api/v1/query_range beyond the differential test: authentication, the
// --query.max-samples and timeout errors in Prometheus' words and codes, and seeded random
// queries and parameters that must each get a clear 4xx (or an answer), never a 5xx. The
// datasource builder's queries (ds/query) run on the same engine: their timeout and cancellation too.

import type { PoolClient } from 'pg';
import { eventually } from '@nester/testing/services';
import { seeded } from '@nester/testing/random';
import {
  READ_TOKEN,
  WRITE_TOKEN,
  remoteWrite,
  runningSampleReads,
  series,
  startHarness,
  writeBody,
  type Harness,
} from './harness';

let h: Harness;
const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;

beforeAll(async () => {
  h = await startHarness('promql_api', { maxSamples: 2_000, queryTimeoutMs: 10_000 });
  const samples = (k: number): [number, number][] => Array.from({ length: 120 }, (_, i) => [t0 + i * 15_000, i * k]);
  const body = writeBody([
    series('m_total', { job: 'a', instance: 'x' }, samples(1)),
    series('m_total', { job: 'b', instance: 'y' }, samples(2)),
    series('g', { job: 'a' }, samples(0.5)),
  ]);
  expect((await remoteWrite(h.url, body)).status).toBe(204);
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

async function query(params: Record<string, string>, path = '/api/v1/query', token: string | null = READ_TOKEN) {
  const res = await fetch(`${h.url}${path}?${new URLSearchParams(params)}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  return {
    status: res.status,
    body: (await res.json()) as { status: string; errorType?: string; error?: string; data?: unknown },
  };
}

const at = (ms: number) => String(ms / 1000);

test('the query routes need the read token', async () => {
  const params = { query: 'g', time: at(t0 + 60_000) };
  expect((await query(params, '/api/v1/query', null)).status).toBe(401);
  expect((await query(params, '/api/v1/query_range', WRITE_TOKEN)).status).toBe(401);
  const ok = await query(params);
  expect(ok).toEqual({
    status: 200,
    body: {
      status: 'success',
      data: {
        resultType: 'vector',
        result: [{ metric: { __name__: 'g', job: 'a' }, value: [(t0 + 60_000) / 1000, '2'] }],
      },
    },
  });
  const put = await fetch(`${h.url}/api/v1/query`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${READ_TOKEN}` },
  });
  expect(put.status).toBe(405);
});

test('a query loading more than --query.max-samples is refused with 422 and Prometheus’ message', async () => {
  // 360 samples stored; a 1 s subquery over 30 min evaluates 1,800 steps per series.
  const res = await query({ query: 'max_over_time(m_total[30m:1s])', time: at(t0 + 30 * 60_000) });
  expect(res).toEqual({
    status: 422,
    body: {
      status: 'error',
      errorType: 'execution',
      error: 'query processing would load too many samples into memory in query execution',
    },
  });
  // The same query over a shorter range fits and answers.
  expect((await query({ query: 'max_over_time(m_total[5m:1s])', time: at(t0 + 30 * 60_000) })).status).toBe(200);
});

test('a query past its timeout answers 503 timeout', async () => {
  const res = await query({
    query: 'count_over_time(m_total[30m:1s]) and count_over_time(g[30m:1s])',
    time: at(t0 + 30 * 60_000),
    timeout: '0.001',
  });
  expect(res.status).toBe(503);
  expect(res.body).toMatchObject({ status: 'error', errorType: 'timeout' });
});

describe('a query’s SQL ends with the query, while a lock holds the samples table', () => {
  // The lock makes the sample read wait in PostgreSQL for as long as the test wants: the read
  // can only end by being cancelled.
  let locker: PoolClient;
  beforeEach(async () => {
    locker = await h.pool.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE samples IN ACCESS EXCLUSIVE MODE');
  });
  afterEach(async () => {
    await locker.query('ROLLBACK');
    locker.release();
  });

  test('past its timeout: 503 timeout, and the read is cancelled in PostgreSQL', async () => {
    const res = await query({ query: 'rate(m_total[5m])', time: at(t0 + 20 * 60_000), timeout: '1s' });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', errorType: 'timeout' });
    // The read waited on the lock; its statement_timeout (the query's deadline) cancels it.
    await eventually(async () => (await runningSampleReads(h.pool)) === 0, 'no sample read left in pg_stat_activity');
  });

  test('when the client goes away: the read is cancelled in PostgreSQL', async () => {
    const abort = new AbortController();
    const asked = fetch(
      `${h.url}/api/v1/query?${new URLSearchParams({ query: 'rate(m_total[5m])', time: at(t0 + 20 * 60_000) })}`,
      {
        headers: { Authorization: `Bearer ${READ_TOKEN}` },
        signal: abort.signal,
      },
    ).catch(() => undefined);
    await eventually(async () => (await runningSampleReads(h.pool)) === 1, 'the sample read waiting on the lock');
    abort.abort();
    await asked;
    await eventually(async () => (await runningSampleReads(h.pool)) === 0, 'no sample read left in pg_stat_activity');
  });
  /** A builder query as the datasource plugin sends it. */
  const builderQuery = (signal?: AbortSignal) =>
    fetch(`${h.url}/api/v1/ds/query`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${READ_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        from: t0,
        to: t0 + 20 * 60_000,
        queries: [{ refId: 'A', selector: 'm_total', function: 'rate', range: '5m', step: 60_000 }],
      }),
      signal,
    });

  test('a builder query past --query.timeout: its 503, and the read is cancelled in PostgreSQL', async () => {
    const res = await builderQuery();
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      results: { A: { frames: [], status: 503, error: expect.stringMatching(/query timed out/) } },
    });
    await eventually(async () => (await runningSampleReads(h.pool)) === 0, 'no sample read left in pg_stat_activity');
  });

  test('a builder query whose client goes away: the read is cancelled in PostgreSQL', async () => {
    const abort = new AbortController();
    const asked = builderQuery(abort.signal).catch(() => undefined);
    await eventually(async () => (await runningSampleReads(h.pool)) === 1, 'the sample read waiting on the lock');
    abort.abort();
    await asked;
    await eventually(async () => (await runningSampleReads(h.pool)) === 0, 'no sample read left in pg_stat_activity');
  });
});

test('execution errors answer 422 execution (many-to-many matching, duplicate label sets)', async () => {
  const t = at(t0 + 10 * 60_000);
  const dup = await query({ query: 'g + on() m_total', time: t });
  expect(dup.status).toBe(422);
  expect(dup.body.error).toContain('many-to-many matching not allowed');
  const same = await query({
    query: 'label_replace(label_replace(m_total, "job", "c", "", ""), "instance", "z", "", "")',
    time: t,
  });
  expect(same).toEqual({
    status: 422,
    body: { status: 'error', errorType: 'execution', error: 'vector cannot contain metrics with the same labelset' },
  });
});

test('600 seeded random queries and parameters: each an answer or a clear 4xx, never a 5xx', async () => {
  const r = seeded(1612);
  const pieces = [
    'm_total',
    'g',
    '{job="a"}',
    '{__name__=~".+"}',
    '[5m]',
    '[1m:10s]',
    ' offset 1m',
    ' @ 100',
    ' @ start()',
    'rate(',
    'sum by (job) (',
    'topk(2, ',
    'histogram_quantile(0.9, ',
    'label_replace(',
    ', "a", "$1", "job", "(.*)")',
    ')',
    '(',
    ' + ',
    ' / on(job) group_left ',
    ' and ',
    ' or ',
    ' > bool ',
    '1',
    '-',
    'NaN',
    '"s"',
    ',',
    '{',
    '}',
    '[',
    ']',
    '\u0000',
    '\\',
    '((((((((((',
    'a{b=~"(.|.)*Z"}',
    'count_values("x", ',
    'quantile_over_time(2, ',
    'absent(',
    'vector(time())',
    'scalar(',
  ];
  const times = ['', '0', '-1', '1e30', 'NaN', 'x', at(t0 + 5 * 60_000), '2026-01-01T00:00:00Z', '9999999999999'];
  const steps = ['', '0', '1', '15s', '-1', '1e-9', 'NaN', '100000000', '1y'];
  for (let i = 0; i < 600; i++) {
    const query = Array.from({ length: r.between(1, 8) }, () => r.pick(pieces)).join('');
    const range = r.chance(0.4);
    const params: Record<string, string> = range
      ? { query, start: r.pick(times), end: r.pick(times), step: r.pick(steps) }
      : { query, time: r.pick(times) };
    if (r.chance(0.1)) params.timeout = r.pick(steps);
    const res = await query_(params, range);
    // A timeout of 0 or 1 ns expires at once, as in Prometheus: 503 timeout is its answer.
    const timedOut = res.status === 503 && res.body.errorType === 'timeout' && params.timeout !== undefined;
    if (res.status >= 500 && !timedOut)
      throw new Error(`${JSON.stringify(params)} answered ${res.status}: ${JSON.stringify(res.body)}`);
    expect(res.body.status === 'success' || (typeof res.body.error === 'string' && res.body.error.length > 0)).toBe(
      true,
    );
  }
  // Still serving, data intact.
  expect((await query({ query: 'count(m_total)', time: at(t0 + 60_000) })).body).toMatchObject({
    data: { result: [{ value: [(t0 + 60_000) / 1000, '2'] }] },
  });
}, 120_000);

function query_(params: Record<string, string>, range: boolean) {
  return query(params, range ? '/api/v1/query_range' : '/api/v1/query');
}
