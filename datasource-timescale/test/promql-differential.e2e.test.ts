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

interface Answer {
  status: number;
  body: {
    status: string;
    errorType?: string;
    error?: string;
    data?: { resultType: string; result: unknown };
  };
}

async function ask(base: string, path: string, params: Record<string, string>, auth: boolean): Promise<Answer> {
  const res = await fetch(`${base}${path}?${new URLSearchParams(params)}`, {
    headers: auth ? { Authorization: `Bearer ${READ_TOKEN}` } : {},
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

type Pair = [number, string];
interface Series {
  metric: Record<string, string>;
  value?: Pair;
  values?: Pair[];
}

const key = (m: Record<string, string>) => JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));

function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a.replace('+Inf', 'Infinity').replace('-Inf', '-Infinity'));
  const y = Number(b.replace('+Inf', 'Infinity').replace('-Inf', '-Infinity'));
  if (Number.isNaN(x) || Number.isNaN(y) || !Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  return Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
}

function samePairs(a: Pair[], b: Pair[]): string | undefined {
  if (a.length !== b.length) return `${a.length} points vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (a[i][0] !== b[i][0]) return `time ${a[i][0]} vs ${b[i][0]}`;
    if (!sameValue(a[i][1], b[i][1])) return `at ${a[i][0]}: ${a[i][1]} vs ${b[i][1]}`;
  }
  return undefined;
}

/** Why the adapter's answer differs from Prometheus', or undefined when it does not. */
function difference(expr: string, prom: Answer, ours: Answer): string | undefined {
  if (prom.body.status !== ours.body.status) {
    return `Prometheus ${prom.status} ${prom.body.errorType ?? ''} ${prom.body.error ?? ''} vs adapter ${ours.status} ${ours.body.errorType ?? ''} ${ours.body.error ?? ''}`;
  }
  if (prom.body.status === 'error') {
    if (prom.body.errorType !== ours.body.errorType || prom.status !== ours.status) {
      return `error ${prom.status} ${prom.body.errorType} (${prom.body.error}) vs ${ours.status} ${ours.body.errorType} (${ours.body.error})`;
    }
    return undefined;
  }
  const p = prom.body.data!;
  const o = ours.body.data!;
  if (p.resultType !== o.resultType) return `resultType ${p.resultType} vs ${o.resultType}`;
  if (p.resultType === 'scalar' || p.resultType === 'string') {
    const [pt, pv] = p.result as Pair;
    const [ot, ov] = o.result as Pair;
    return pt === ot && (p.resultType === 'string' ? pv === ov : sameValue(pv, ov))
      ? undefined
      : `${pt} ${pv} vs ${ot} ${ov}`;
  }
  const ps = p.result as Series[];
  const os = o.result as Series[];
  const ours_ = new Map(os.map((s) => [key(s.metric), s]));
  if (ps.length !== os.length || ours_.size !== os.length) {
    return `${ps.length} series vs ${os.length}: ${JSON.stringify(ps.map((s) => s.metric)).slice(0, 300)} vs ${JSON.stringify(os.map((s) => s.metric)).slice(0, 300)}`;
  }
  for (const s of ps) {
    const mine = ours_.get(key(s.metric));
    if (!mine) return `series ${key(s.metric)} missing`;
    const d = samePairs(s.values ?? [s.value!], mine.values ?? [mine.value!]);
    if (d) return `${key(s.metric)}: ${d}`;
  }
  if (p.resultType === 'vector' && /^sort(_desc)?\(/.test(expr)) {
    const pv = ps.map((s) => s.value![1]).join();
    const ov = os.map((s) => s.value![1]).join();
    if (pv !== ov) return `order ${pv} vs ${ov}`;
  }
  return undefined;
}

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
