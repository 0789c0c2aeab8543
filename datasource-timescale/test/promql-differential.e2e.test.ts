// The PromQL engine against Prometheus 2.42 itself: the same seeded samples are remote_written
// into Debian's Prometheus and into the adapter, then every expression of the corpus is asked of
// both through /api/v1/query (several times) and /api/v1/query_range (several spans and steps).
// Answers must agree: the same result type, the same series (label sets), the same timestamps,
// values equal to 1e-12 relative (NaN and ±Inf exactly), the same order where the expression
// sorts; errors with the same errorType and HTTP status.

import { startPrometheus, type RunningPrometheus } from '@nester/testing/prometheus';
import { compressClosedChunks } from './compress';
import { READ_TOKEN, remoteWrite, startHarness, writeBody, type Harness } from './harness';
import { CORPUS } from './promql-corpus';
import { ask, difference, type Answer } from './promql-compare';
import { dataset, SPAN_MS } from './promql-dataset';

let prom: RunningPrometheus;
let h: Harness;
const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 55 * 60_000;

beforeAll(async () => {
  [prom, h] = await Promise.all([
    startPrometheus('global: {scrape_interval: 1h, evaluation_interval: 1m}\n', {
      args: ['--web.enable-remote-write-receiver'],
    }),
    // 10-minute chunks: on TimescaleDB most of the data lies in closed chunks, compressed below.
    startHarness('promql_diff', {
      maxBodyBytes: 8 << 20,
      maxSeries: 10_000,
      queryTimeoutMs: 30_000,
      chunkIntervalMs: 10 * 60_000,
    }),
  ]);
  const body = writeBody(dataset(t0));
  const promWrite = await fetch(`${prom.url}/api/v1/write`, {
    method: 'POST',
    headers: { 'Content-Encoding': 'snappy', 'Content-Type': 'application/x-protobuf' },
    body,
  });
  expect(promWrite.status).toBe(204);
  expect((await remoteWrite(h.url, body)).status).toBe(204);
  await compressClosedChunks(h.pool);
}, 120_000);

afterAll(async () => {
  await prom?.stop();
  await h?.stop();
});

const seconds = (ms: number) => String(ms / 1000);
const AT = seconds(t0 + 20 * 60_000 + 500);
const INSTANTS = [
  t0 + 10 * 60_000,
  t0 + 10 * 60_000 + 7_000,
  t0 + 27 * 60_000 + 2_500,
  t0 + SPAN_MS,
  t0 + SPAN_MS + 8 * 60_000,
];
const RANGES: [number, number, number][] = [
  [t0, t0 + SPAN_MS + 6 * 60_000, 60_000],
  [t0 + 3 * 60_000 + 500, t0 + 40 * 60_000, 37_000],
  [t0 + 20 * 60_000, t0 + 25 * 60_000, 10_000],
];

test(`${CORPUS.length} expressions answer as Prometheus 2.42 answers them (instant and range)`, async () => {
  const mismatches: string[] = [];
  let compared = 0;
  let matchedExpressions = 0;
  for (const template of CORPUS) {
    const expr = template.replaceAll('AT', AT);
    const asks: [string, Record<string, string>][] = [
      ...INSTANTS.map((t): [string, Record<string, string>] => ['/api/v1/query', { query: expr, time: seconds(t) }]),
      ...RANGES.map(([start, end, step]): [string, Record<string, string>] => [
        '/api/v1/query_range',
        { query: expr, start: seconds(start), end: seconds(end), step: seconds(step) },
      ]),
    ];
    let ok = true;
    for (const [path, params] of asks) {
      const [p, o] = await Promise.all([ask(prom.url, path, params, false), ask(h.url, path, params, true)]);
      compared++;
      const d = difference(expr, p, o);
      if (d) {
        ok = false;
        mismatches.push(`${path} ${JSON.stringify(params)}: ${d}`);
        break;
      }
    }
    if (ok) matchedExpressions++;
  }
  // The figures the README quotes.
  console.log(
    `PromQL differential: ${matchedExpressions}/${CORPUS.length} expressions match, ${compared} answers compared`,
  );
  expect(mismatches).toEqual([]);
}, 600_000);

test('query parameters are checked as Prometheus checks them: same status, errorType, or answer', async () => {
  const mid = seconds(t0 + 20 * 60_000);
  const later = seconds(t0 + 30 * 60_000);
  const cases: [string, Record<string, string>][] = [
    ['/api/v1/query', { query: 'node_load', time: 'yesterday' }],
    ['/api/v1/query', { query: 'node_load', time: new Date(t0 + 20 * 60_000).toISOString() }],
    ['/api/v1/query', { query: 'node_load', time: mid, timeout: 'soon' }],
    ['/api/v1/query', { query: 'node_load', time: mid, timeout: '10s' }],
    ['/api/v1/query', { query: 'node_load', time: `${mid}.123456` }],
    ['/api/v1/query', { time: mid }],
    ['/api/v1/query_range', { query: 'node_load', start: later, end: mid, step: '60' }],
    ['/api/v1/query_range', { query: 'node_load', start: mid, end: later, step: '0' }],
    ['/api/v1/query_range', { query: 'node_load', start: mid, end: later, step: '-5' }],
    ['/api/v1/query_range', { query: 'node_load', start: mid, end: later, step: 'x' }],
    ['/api/v1/query_range', { query: 'node_load', start: mid, end: later, step: '1m' }],
    ['/api/v1/query_range', { query: 'node_load', start: mid, end: later, step: '0.1' }],
    ['/api/v1/query_range', { query: 'node_load', start: mid, end: later }],
    ['/api/v1/query_range', { query: 'node_load', end: later, step: '60' }],
    ['/api/v1/query_range', { query: 'node_load', start: mid, step: '60' }],
    ['/api/v1/query_range', { query: 'node_load', start: '0', end: later, step: '1' }],
    ['/api/v1/query_range', { query: 'node_load[5m]', start: mid, end: later, step: '60' }],
    ['/api/v1/query_range', { query: '"text"', start: mid, end: later, step: '60' }],
    ['/api/v1/query_range', { query: 'time()', start: mid, end: later, step: '60' }],
    ['/api/v1/query_range', { query: 'node_load', start: mid, end: mid, step: '60' }],
  ];
  const mismatches: string[] = [];
  for (const [path, params] of cases) {
    const [p, o] = await Promise.all([ask(prom.url, path, params, false), ask(h.url, path, params, true)]);
    const d = difference(params.query ?? '', p, o);
    if (d) mismatches.push(`${path} ${JSON.stringify(params)}: ${d}`);
  }
  expect(mismatches).toEqual([]);
});

test('POST with a form body answers as GET does', async () => {
  const params = { query: 'sum by (job) (rate(http_requests_total[5m]))', time: seconds(t0 + 20 * 60_000) };
  const get = await ask(h.url, '/api/v1/query', params, true);
  const res = await fetch(`${h.url}/api/v1/query_range`.replace('_range', ''), {
    method: 'POST',
    headers: { Authorization: `Bearer ${READ_TOKEN}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual(get.body);
  expect((get.body.data!.result as unknown[]).length).toBe(2);
});

test('a POST body is a form only when url-encoded, as in Prometheus: other types leave the query string alone', async () => {
  const mismatches: string[] = [];
  const time = seconds(t0 + 20 * 60_000);
  const types = [
    'application/x-www-form-urlencoded',
    'Application/X-WWW-Form-Urlencoded; charset=UTF-8',
    'text/plain',
    'application/json',
    'garbage;;=',
    undefined,
  ];
  for (const type of types) {
    for (const search of ['', `?query=${encodeURIComponent('sum(node_load)')}&time=${time}`]) {
      for (const path of ['/api/v1/query', '/api/v1/query_range']) {
        const body = `query=${encodeURIComponent('count(node_load)')}&time=${time}&start=${time}&end=${time}&step=60`;
        const post = async (base: string, auth: boolean): Promise<Answer> => {
          // A Blob without a type: fetch sends no Content-Type at all (a string would get text/plain).
          const res = await fetch(`${base}${path}${search}`, {
            method: 'POST',
            headers: {
              ...(type === undefined ? {} : { 'Content-Type': type }),
              ...(auth ? { Authorization: `Bearer ${READ_TOKEN}` } : {}),
            },
            body: new Blob([body]),
          });
          return { status: res.status, body: (await res.json()) as Answer['body'] };
        };
        const [p, o] = await Promise.all([post(prom.url, false), post(h.url, true)]);
        const d = difference('', p, o);
        if (d) mismatches.push(`${type ?? '(none)'} ${path}${search}: ${d}`);
      }
    }
  }
  expect(mismatches).toEqual([]);
});

test('a long query yields to the event loop: health checks answer while it runs', async () => {
  let done = false;
  const running = ask(
    h.url,
    '/api/v1/query_range',
    {
      // All evaluation, no SQL: 2,881 windows of 7,200 points to sort (seconds, even on a quiet machine).
      query: 'quantile_over_time(0.5, vector(1)[2h:1s])',
      start: seconds(t0),
      end: seconds(t0 + SPAN_MS),
      step: '1',
    },
    true,
  ).finally(() => {
    done = true;
  });
  let answeredMeanwhile = 0;
  while (!done) {
    const res = await fetch(`${h.url}/-/healthy`);
    if (res.ok && !done) answeredMeanwhile++;
  }
  const answer = await running;
  expect(answer.status).toBe(200);
  expect((answer.body.data!.result as unknown[]).length).toBe(1);
  // Yielding every 10 ms lets dozens through (49 in 1.3 s here); yielding only between series let
  // 3 through (the windows of one long series ran in one go), fully blocked at most 1.
  expect(answeredMeanwhile).toBeGreaterThan(10);
}, 120_000);

test('stats: with a non-empty `stats` parameter, the same fields as Prometheus', async () => {
  const shape = (v: unknown): unknown =>
    typeof v === 'object' && v !== null
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]))
      : typeof v;
  const mid = seconds(t0 + 20 * 60_000);
  const later = seconds(t0 + 30 * 60_000);
  const asks: [string, Record<string, string>][] = [
    ['/api/v1/query', { query: 'rate(http_requests_total[5m])', time: mid, stats: 'all' }],
    ['/api/v1/query', { query: '1', time: mid, stats: '1' }],
    ['/api/v1/query_range', { query: 'sum(node_load)', start: mid, end: later, step: '60', stats: 'all' }],
  ];
  for (const [path, params] of asks) {
    const [p, o] = await Promise.all([ask(prom.url, path, params, false), ask(h.url, path, params, true)]);
    const pStats = (p.body.data as { stats?: unknown }).stats;
    const oStats = (o.body.data as { stats?: { samples: { totalQueryableSamples: number } } }).stats;
    expect(shape(oStats)).toEqual(shape(pStats));
    expect(difference(params.query, p, o)).toBeUndefined();
    if (params.query !== '1') expect(oStats!.samples.totalQueryableSamples).toBeGreaterThan(0);
  }
  // Without the parameter, no stats (as Prometheus).
  const plain = await ask(h.url, '/api/v1/query', { query: '1', time: mid }, true);
  expect(plain.body.data).not.toHaveProperty('stats');
});
