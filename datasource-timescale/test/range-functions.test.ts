// The datasource builder's range functions, compiled to PromQL and evaluated by the engine, on
// hand-computed cases (Prometheus 2.x semantics: windows [t - range, t], resets, extrapolation,
// stale markers, NaN), and the guards around that evaluation. test/prometheus.e2e.test.ts
// compares with Prometheus itself. On TimescaleDB the samples' chunk is compressed before the
// tests run (test/compress.ts).

import { FETCH_SETTINGS, samplesSelect } from '../src/query/fetch';
import { ON_TIMESCALEDB } from './backend';
import { compressClosedChunks, compressedChunks } from './compress';
import { getJson, remoteWrite, series as seriesOf, startHarness, writeBody, type Harness } from './harness';

const STALE_NAN = 'stale'; // Prometheus' stale marker, a NaN with its own bits
let h: Harness;
const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;
const s = (seconds: number) => t0 + seconds * 1000;
/** Every answer of ANSWERED_QUERIES before the chunks were compressed. */
let uncompressed: unknown;

beforeAll(async () => {
  // 10-minute chunks: the samples, 30 minutes old, lie in a closed one, which compression takes.
  // --query.max-samples 60: every query below but the last stays under it (the engine refuses to
  // load more samples, or to produce more points from selectors: 3 gauges over 12 steps make 35).
  h = await startHarness('adapter_range_functions', { maxSamples: 60, chunkIntervalMs: 10 * 60_000 });
  const at = (values: (number | typeof STALE_NAN)[]) =>
    values.map((v, i) => ({ timestamp: s(10 + i * 10), value: v === STALE_NAN ? NaN : v, stale: v === STALE_NAN }));
  const series = (name: string, labels: Record<string, string>, samples: ReturnType<typeof at>) => ({
    ...seriesOf(name, labels, []),
    samples,
  });
  const body = writeBody([
    // A counter every 10 s from 10 s to 50 s, with a reset after 30.
    series('c', { case: 'reset' }, at([10, 20, 30, 5, 15])),
    // Two resets in one window: Prometheus adds them to last - first one after the other.
    series('c', { case: 'two-resets' }, at([0, 0.1, 0.05, 0.2, 0.15])),
    series('g', { case: 'nan' }, at([NaN, 3, NaN, 1, 2])),
    series('g', { case: 'all-nan' }, at([NaN, NaN])),
    series('g', { case: 'stale' }, at([1, 2, STALE_NAN, 4])),
  ]);
  expect((await remoteWrite(h.url, body)).status).toBe(204);
  uncompressed = await everyAnswer();
  await compressClosedChunks(h.pool);
}, 60_000);
afterAll(() => h.stop());

/** Every function on both metrics, with windows shorter, longer and not a multiple of the step. */
const ANSWERED_QUERIES = ['c', 'g'].flatMap((selector) =>
  [undefined, 'rate', 'irate', 'increase', 'delta', 'avg_over_time', 'sum_over_time', 'min_over_time']
    .concat(['max_over_time', 'count_over_time'])
    .flatMap((fn) =>
      [
        ['60s', 10_000],
        ['30s', 20_000],
        ['25s', 20_000],
        ['5s', 10_000],
      ].map(([range, step]) => ({ selector, function: fn, range, step })),
    ),
);

/** The ds/query answers to ANSWERED_QUERIES over [t0, t0 + 120 s], as JSON. */
async function everyAnswer(): Promise<unknown> {
  const queries = ANSWERED_QUERIES.map((q, i) => ({ refId: `Q${i}`, ...q }));
  const { status, body } = await getJson(h.url, '/api/v1/ds/query', {
    method: 'POST',
    body: JSON.stringify({ from: s(0), to: s(120), queries }),
  });
  expect(status).toBe(200);
  return body;
}

test('on compressed chunks every function answers as before compression, bit for bit', async () => {
  expect(await compressedChunks(h.pool)).toBe(ON_TIMESCALEDB ? 1 : 0);
  const answer = await everyAnswer();
  expect(answer).toEqual(uncompressed);
  // Not a vacuous comparison: no query failed, and most answered with points (rates over 5 s
  // of 10 s samples have none).
  const { results } = answer as { results: Record<string, { frames: unknown[]; error?: string }> };
  expect(Object.values(results).filter((r) => r.error)).toEqual([]);
  const answered = Object.values(results).filter((r) => r.frames.length > 0);
  expect(answered.length).toBeGreaterThan(0.75 * ANSWERED_QUERIES.length);
});

test('each series is read through its series_id, in compressed chunks too (no chunk decompressed whole)', async () => {
  const ids = (await h.pool.query<{ id: string }>('SELECT id FROM series ORDER BY id')).rows.map((r) => Number(r.id));
  let compressedScans = 0;
  // What the engine reads for the builder's queries over [0, 120 s]: the lookback's or the range's reach before.
  for (const reachMs of [300_000, 60_000]) {
    const statement = samplesSelect(ids, s(0) - reachMs, s(120));
    const client = await h.pool.connect();
    let plan: PlanNode;
    try {
      await client.query('BEGIN READ ONLY');
      for (const setting of FETCH_SETTINGS) await client.query(setting);
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${statement}`);
      plan = rows[0]['QUERY PLAN'][0].Plan;
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    const scans = tableScans(plan);
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) {
      // A compressed chunk's batches are found by their segment column, series_id (an index
      // condition or a filter on the compressed rows), so only that series' batches are
      // decompressed; a filter above the decompression would decompress every series' batches.
      const conditions = scan.compressed ? [scan.node['Index Cond'], scan.node.Filter] : [scan.node['Index Cond']];
      expect({
        reachMs,
        scan: scan.node['Relation Name'],
        bySeries: conditions.some((c) => /\bseries_id\b/.test(c ?? '')),
      }).toEqual({
        reachMs,
        scan: scan.node['Relation Name'],
        bySeries: true,
      });
      if (scan.compressed) compressedScans++;
    }
  }
  expect(compressedScans > 0).toBe(ON_TIMESCALEDB);
});

interface PlanNode {
  'Node Type': string;
  'Custom Plan Provider'?: string;
  'Relation Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

/** The plan's scans of tables (partitions, chunks, compressed chunks), TimescaleDB's custom nodes left out. */
function tableScans(node: PlanNode, parent?: PlanNode): { node: PlanNode; compressed: boolean }[] {
  const own =
    node['Relation Name'] !== undefined && node['Node Type'] !== 'Custom Scan'
      ? [{ node, compressed: /^(ColumnarScan|DecompressChunk)$/.test(parent?.['Custom Plan Provider'] ?? '') }]
      : [];
  return own.concat((node.Plans ?? []).flatMap((child) => tableScans(child, node)));
}

/** The query's points as [seconds after t0, value] per series, keyed by the `case` label. */
async function points(query: object, from: number, to: number, step = 10): Promise<Record<string, number[][]>> {
  const { status, body } = await getJson(h.url, '/api/v1/ds/query', {
    method: 'POST',
    body: JSON.stringify({ from: s(from), to: s(to), queries: [{ refId: 'A', step: step * 1000, ...query }] }),
  });
  expect({ status, error: body.results.A.error }).toEqual({ status: 200, error: undefined });
  const out: Record<string, number[][]> = {};
  for (const frame of body.results.A.frames) {
    const [times, values] = frame.data.values as [number[], (number | null)[]];
    const nan = new Set<number>(frame.data.entities?.[1]?.NaN ?? []);
    out[frame.schema.fields[1].labels.case] = times.map((t, i) => [(t - t0) / 1000, nan.has(i) ? NaN : values[i]!]);
  }
  return out;
}

const one = async (fn: string, range: string, at: number, selector = 'c{case="reset"}') =>
  (await points({ selector, function: fn, range }, at, at))[selector.match(/case="([^"]+)"/)![1]]?.[0]?.[1];

test('increase adds the value before a reset and extrapolates to the window edges', async () => {
  // raw: 15 - 10 + 30 = 35 over 40 s sampled; window [0, 60]: 10 s to each edge is within
  // 1.1 x the 10 s spacing, but the counter would hit zero 40*(10/35) = 11.4 s before the
  // first sample, so the start extends by 10 s; total 60 s: 35 * 60 / 40 = 52.5.
  expect(await one('increase', '60s', 60)).toBeCloseTo(52.5, 12);
  expect(await one('rate', '60s', 60)).toBeCloseTo(52.5 / 60, 12);
  // Far edges: extrapolate only half a spacing on each side: 35 * 50 / 40.
  expect(await one('increase', '260s', 160)).toBeCloseTo(43.75, 12);
  // Two resets: (0.15 - 0 + 0.1) + 0.2 = 0.45, where 0.15 + (0.1 + 0.2) would be 0.45000000000000007.
  expect(await one('increase', '40s', 50, 'c{case="two-resets"}')).toBe(0.45);
});

test('delta does not treat drops as resets; irate uses the last two samples', async () => {
  expect(await one('delta', '40s', 50)).toBe(5);
  expect(await one('irate', '60s', 60)).toBe(1); // (15 - 5) / 10 s
  expect(await one('irate', '40s', 40)).toBe(0.5); // reset: 5 / 10 s
});

test('the *_over_time functions, and windows closed at both ends', async () => {
  expect(await one('sum_over_time', '60s', 60)).toBe(80);
  expect(await one('avg_over_time', '60s', 60)).toBe(16);
  expect(await one('min_over_time', '60s', 60)).toBe(5);
  expect(await one('max_over_time', '60s', 60)).toBe(30);
  expect(await one('count_over_time', '60s', 60)).toBe(5);
  // [10, 50] holds all five samples, the one at exactly t - range included.
  expect(await one('count_over_time', '40s', 50)).toBe(5);
  expect(await one('sum_over_time', '40s', 50)).toBe(80);
  expect(await one('min_over_time', '40s', 50)).toBe(5);
  expect(await one('max_over_time', '40s', 50)).toBe(30);
  expect(await one('sum_over_time', '30s', 50)).toBe(70);
  // Fewer than two samples: no rate.
  expect(await one('rate', '5s', 10)).toBeUndefined();
  expect(await one('count_over_time', '5s', 10)).toBe(1);
});

test('every step of a grid, with a range that is not a multiple of the step', async () => {
  // Step 20 s, range 30 s: buckets of 10 s; windows [-10, 20], [10, 40], [30, 60].
  const got = await points({ selector: 'c{case="reset"}', function: 'sum_over_time', range: '30s' }, 20, 60, 20);
  expect(got.reset).toEqual([
    [20, 30],
    [40, 65],
    [60, 50],
  ]);
  const max = await points({ selector: 'c{case="reset"}', function: 'max_over_time', range: '30s' }, 20, 60, 20);
  expect(max.reset).toEqual([
    [20, 20],
    [40, 30],
    [60, 30],
  ]);
  const rate = await points({ selector: 'c{case="reset"}', function: 'increase', range: '25s' }, 20, 60, 20);
  // [−5, 20]: 10→20, 10 s sampled, 15 s to start, but the counter's zero point is 10 s before
  // the first sample, within 1.1 x the spacing: 10 * 20 / 10 = 20. [15, 40]: 20, 30, 5:
  // 5 - 20 + 30 = 15 over 20 s, 5 s to start, 0 to end: 15 * 25 / 20. [35, 60]: 5, 15: 10 over
  // 10 s, 5 s to start, 10 s to end: 10 * 25 / 10.
  expect(rate.reset).toEqual([
    [20, 20],
    [40, 18.75],
    [60, 25],
  ]);
});

test('NaN as Prometheus treats it: min and max skip it unless nothing else is there', async () => {
  const q = (fn: string) => points({ selector: 'g{case=~"nan|all-nan"}', function: fn, range: '60s' }, 60, 60);
  expect(await q('min_over_time')).toEqual({ nan: [[60, 1]], 'all-nan': [[60, NaN]] });
  expect(await q('max_over_time')).toEqual({ nan: [[60, 3]], 'all-nan': [[60, NaN]] });
  expect(await q('count_over_time')).toEqual({ nan: [[60, 5]], 'all-nan': [[60, 2]] });
  expect((await q('sum_over_time')).nan[0][1]).toBeNaN();
  // A drop after NaN is no reset (NaN compares false), as in Go.
  expect(await points({ selector: 'g{case="nan"}', function: 'irate', range: '30s' }, 40, 40)).toEqual({
    nan: [[40, NaN]],
  });
});

test('a stale marker ends the instant selector and is invisible to range functions', async () => {
  const raw = await points({ selector: 'g{case="stale"}' }, 10, 50);
  expect(raw.stale).toEqual([
    [10, 1],
    [20, 2],
    [40, 4],
    [50, 4],
  ]);
  expect(await one('count_over_time', '60s', 60, 'g{case="stale"}')).toBe(3);
  // 1, 2, 4 at 10, 20, 40 s in [-20, 40]: 3 over 30 s, 30 s to start (> 1.1 x 15 s: half a
  // spacing, 7.5 s), 0 to end: 3 * 37.5 / 30.
  expect(await one('delta', '60s', 40, 'g{case="stale"}')).toBe(3.75);
});

test('more samples than --query.max-samples: 422, before anything is answered', async () => {
  // 5 series over the 18 steps from 10 s to 180 s: 89 points (one stale step), above 60.
  const { body } = await getJson(h.url, '/api/v1/ds/query', {
    method: 'POST',
    body: JSON.stringify({ from: s(0), to: s(180), queries: [{ refId: 'A', selector: '{case=~".+"}', step: 10_000 }] }),
  });
  expect(body.results.A).toMatchObject({ status: 422, error: expect.stringMatching(/more than 60 samples/) });
  const under = await points({ selector: '{case=~".+"}' }, 0, 60);
  expect(Object.keys(under).sort()).toEqual(['all-nan', 'nan', 'reset', 'stale', 'two-resets']);
});
