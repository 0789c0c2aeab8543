// The query API the datasource plugin uses, and raw SQL mode's guard rails. On TimescaleDB the
// samples' chunks are compressed before the tests run (test/compress.ts).

import { BACKEND, expectedStorage } from './backend';
import { compressClosedChunks } from './compress';
import { getJson, remoteWrite, series, startHarness, storedRows, writeBody, type Harness } from './harness';

let h: Harness;
const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;

beforeAll(async () => {
  // 10-minute chunks: the samples, 30 minutes old, lie in closed ones, which compression takes.
  h = await startHarness('adapter_query', { chunkIntervalMs: 10 * 60_000 });
  const counter = (instance: string, values: number[]) =>
    series(
      'requests_total',
      { instance, job: 'api' },
      values.map((v, i) => [t0 + i * 15_000, v]),
    );
  const body = writeBody([
    counter('a:80', [0, 10, 20, 30, 5, 15, 25, 35, 45]), // a reset after 30
    counter('b:80', [100, 100, 100, 100, 100, 100, 100, 100, 100]),
    series('temperature', { instance: 'a:80', job: 'api', room: "o'brien; DROP TABLE samples;--" }, [[t0, 21.5]]),
  ]);
  expect((await remoteWrite(h.url, body)).status).toBe(204);
  await compressClosedChunks(h.pool);
});
afterAll(() => h.stop());

const dsQuery = (queries: object[], from = t0, to = t0 + 120_000) =>
  getJson(h.url, '/api/v1/ds/query', { method: 'POST', body: JSON.stringify({ from, to, queries }) });

test('label names and values, filtered by matchers, for template variables', async () => {
  expect((await getJson(h.url, '/api/v1/labels')).body).toEqual({
    status: 'success',
    data: ['__name__', 'instance', 'job', 'room'],
  });
  expect((await getJson(h.url, '/api/v1/label/__name__/values')).body.data).toEqual(['requests_total', 'temperature']);
  const filtered = await getJson(
    h.url,
    `/api/v1/label/instance/values?${new URLSearchParams({ 'match[]': 'requests_total{instance=~"a.*"}' })}`,
  );
  expect(filtered.body.data).toEqual(['a:80']);
  const labels = await getJson(h.url, `/api/v1/labels?${new URLSearchParams({ 'match[]': 'temperature' })}`);
  expect(labels.body.data).toEqual(['__name__', 'instance', 'job', 'room']);
});

test('increase handles the counter reset and extrapolates like Prometheus', async () => {
  const { status, body } = await dsQuery([
    { refId: 'A', selector: 'requests_total{instance="a:80"}', function: 'increase', range: '60s', step: '60s' },
  ]);
  expect(status).toBe(200);
  const [frame] = body.results.A.frames;
  expect(frame.schema.fields[1].labels).toEqual({ instance: 'a:80', job: 'api' });
  // At t0+60s the window [t0, t0+60s] holds 0,10,20,30,5: raw increase 30 + 5 after the reset = 35, the
  // samples span 60 s with one at each edge, so no extrapolation: 35. At t0+120s: 5,15,25,35,45 -> 40.
  expect(frame.data.values).toEqual([
    [t0 + 60_000, t0 + 120_000],
    [35, 40],
  ]);
});

test('aggregations by and without labels, and a legend format', async () => {
  const { body } = await dsQuery([
    {
      refId: 'S',
      selector: 'requests_total',
      aggregation: { op: 'sum', by: ['job'] },
      step: 60_000,
      legendFormat: 'job {{job}}',
    },
    { refId: 'C', selector: 'requests_total', aggregation: { op: 'count', without: ['instance'] }, step: 60_000 },
  ]);
  expect(body.results.S.frames).toHaveLength(1);
  expect(body.results.S.frames[0].schema.name).toBe('job api');
  expect(body.results.S.frames[0].data.values[1]).toEqual([100, 105, 145]); // at t0, t0+60s, t0+120s: 0+100, 5+100, 45+100
  expect(body.results.C.frames[0].schema.fields[1].labels).toEqual({ job: 'api' });
  expect(body.results.C.frames[0].data.values[1]).toEqual([2, 2, 2]);
});

test('bad queries get a clear 400 per query, and matchers never reach SQL as text', async () => {
  const before = await storedRows(h.pool);
  const { status, body } = await dsQuery([
    { refId: 'A', selector: 'requests_total{job=~"(?=x)"}' },
    { refId: 'B', selector: '{job=~".*"}' },
    { refId: 'C', selector: 'requests_total', function: 'nope' },
    { refId: 'D', selector: 'temperature{room="o\'brien; DROP TABLE samples;--"}' },
    { refId: 'E', selector: "requests_total{job=\"x' OR '1'='1\"}" },
  ]);
  expect(status).toBe(200);
  expect(body.results.A).toMatchObject({
    status: 400,
    error: expect.stringMatching(/invalid or unsupported Perl syntax/),
  });
  expect(body.results.B.error).toMatch(/does not match the empty string/);
  expect(body.results.C.error).toMatch(/unknown function/);
  expect(body.results.D.frames).toHaveLength(1); // the odd value is just a value
  expect(body.results.E.frames).toEqual([]);
  expect(await storedRows(h.pool)).toEqual(before);
  const all = await dsQuery([{ refId: 'A', selector: 'nope{' }]);
  expect(all.status).toBe(400);
});

test('raw SQL: macros, typed frames and the row limit', async () => {
  const { status, body } = await dsQuery([
    {
      refId: 'Q',
      kind: 'sql',
      intervalMs: 60_000,
      sql: `SELECT $__timeGroupAlias(x.time, $__interval), l.labels->>'instance' AS instance, max(x.value) AS value
              FROM samples x JOIN series_labels l USING (series_id)
             WHERE $__timeFilter(x.time) AND l.metric_name = 'requests_total'
             GROUP BY 1, 2 ORDER BY 1, 2;`,
    },
  ]);
  expect(status).toBe(200);
  const frame = body.results.Q.frames[0];
  expect(frame.schema.fields.map((f: { name: string; type: string }) => [f.name, f.type])).toEqual([
    ['time', 'time'],
    ['instance', 'string'],
    ['value', 'number'],
  ]);
  expect(frame.data.values[0][0]).toBe(t0);
  expect(frame.data.values[2].slice(0, 2)).toEqual([30, 100]);
  const limited = await dsQuery([{ refId: 'L', kind: 'sql', sql: 'SELECT generate_series(1, 5000) AS n' }]);
  expect(limited.body.results.L.frames[0].data.values[0]).toHaveLength(1000);
  expect(limited.body.results.L.frames[0].schema.meta.notices[0].text).toMatch(/limited to 1000 rows/);
});

test('raw SQL: $__timeGroup buckets start at the Unix epoch on every backend (7m, 1w)', async () => {
  // Times over a year and a half, none on a bucket boundary.
  const from = Date.UTC(2024, 0, 1, 0, 0, 13, 250);
  const { body } = await dsQuery(
    [
      {
        refId: 'G',
        kind: 'sql',
        sql: `SELECT t AS "time", $__timeGroup(t, 7m) AS minutes7, $__timeGroup(t, 1w) AS week
                FROM generate_series($__timeFrom(), $__timeTo(), interval '3 days 7 hours 11 minutes 17.5 seconds') AS t`,
      },
    ],
    from,
    from + 550 * 86_400_000,
  );
  expect(body.results.G.error).toBeUndefined();
  const [times, minutes7, week] = body.results.G.frames[0].data.values as number[][];
  expect(times.length).toBeGreaterThan(150);
  const floorTo = (ms: number, width: number) => Math.floor(ms / width) * width;
  expect(minutes7).toEqual(times.map((t) => floorTo(t, 7 * 60_000)));
  expect(week).toEqual(times.map((t) => floorTo(t, 7 * 86_400_000)));
  expect(new Set(week.map((t) => new Date(t).getUTCDay()))).toEqual(new Set([4])); // Thursdays, as 1970-01-01
});

test('raw SQL cannot write, run a second statement, read server files or run past the timeout', async () => {
  const before = await storedRows(h.pool);
  const attempts: [string, RegExp][] = [
    ['DELETE FROM samples', /syntax error|read-only/],
    ['SELECT 1; DELETE FROM samples', /syntax error|cannot insert multiple commands/],
    ['SELECT 1) q; DELETE FROM samples; SELECT (1', /syntax error|multiple commands/],
    ['WITH d AS (DELETE FROM samples RETURNING 1) SELECT * FROM d', /read-only|data-modifying|not allowed/],
    [
      "SELECT set_config('default_transaction_read_only', 'off', false), nextval('series_id_seq')",
      /read-only|permission denied/,
    ],
    ["SELECT pg_read_file('/etc/passwd')", /permission denied/],
    ['SELECT pg_sleep(10)', /statement timeout/],
    ["SELECT $__timeGroup(time, 'forever') FROM samples", /not a duration/],
  ];
  for (const [sql, reason] of attempts) {
    const { body } = await dsQuery([{ refId: 'X', kind: 'sql', sql }]);
    expect({ sql, error: body.results.X.error }).toEqual({ sql, error: expect.stringMatching(reason) });
    expect(body.results.X.status).toBe(400);
  }
  expect(await storedRows(h.pool)).toEqual(before);
});

test('readers need a read token; a write token does not read', async () => {
  const res = await fetch(`${h.url}/api/v1/labels`, {
    headers: { Authorization: 'Bearer write-token-0123456789abcdef' },
  });
  expect(res.status).toBe(401);
});

test(`status reports the storage this run is on: ${BACKEND}`, async () => {
  const status = await getJson(h.url, '/api/v1/status');
  expect(status.body.data.storage).toEqual(expectedStorage());
});
