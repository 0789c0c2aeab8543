// Prometheus' HTTP API besides queries, on hand-made data: start/end restricting series, label
// names and values to series with samples in the range; metric metadata from remote_write
// stored once, bounded, and listed as Prometheus lists it; status endpoints; the read token.
// test/prometheus-api.e2e.test.ts compares the same endpoints with a real Prometheus.

import { snappyCompress } from '@nester/common/prompb/snappy';
import { encodeWriteRequest } from '@nester/common/prompb/write';
import { MetricType, type MetricMetadata } from '@nester/common/prompb/types';
import { getJson, remoteWrite, series, startHarness, writeBody, type Harness } from './harness';

let h: Harness;
const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 60 * 60_000; // an hour ago
const s = (ms: number) => String(ms / 1000);

beforeAll(async () => {
  h = await startHarness('adapter_prom_api');
  const body = writeBody([
    series('early', { job: 'a', zone: 'x' }, [[t0, 1]]),
    series('late', { job: 'b', rack: 'r1' }, [[t0 + 30 * 60_000, 2]]),
    series('both', { job: 'a' }, [
      [t0, 3],
      [t0 + 30 * 60_000, 4],
    ]),
  ]);
  expect((await remoteWrite(h.url, body)).status).toBe(204);
});
afterAll(() => h.stop());

const get = (path: string, params: Record<string, string | string[]> = {}) => {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) query.append(k, one);
  return getJson(h.url, `${path}?${query}`);
};
const postForm = (path: string, form: string) =>
  getJson(h.url, path, {
    method: 'POST',
    body: form,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
const metadataBody = (metadata: MetricMetadata[]) => snappyCompress(encodeWriteRequest({ timeseries: [], metadata }));

test('start/end keep the series, names and values with samples in the range', async () => {
  const early = { start: s(t0 - 1000), end: s(t0 + 1000) };
  const late = { start: s(t0 + 29 * 60_000), end: s(t0 + 31 * 60_000) };
  expect((await get('/api/v1/series', { 'match[]': '{job=~".+"}', ...early })).body).toEqual({
    status: 'success',
    data: [
      { __name__: 'both', job: 'a' },
      { __name__: 'early', job: 'a', zone: 'x' },
    ],
  });
  expect((await get('/api/v1/series', { 'match[]': ['late', 'both'], ...late })).body.data).toEqual([
    { __name__: 'both', job: 'a' },
    { __name__: 'late', job: 'b', rack: 'r1' },
  ]);
  expect((await get('/api/v1/labels', early)).body.data).toEqual(['__name__', 'job', 'zone']);
  expect((await get('/api/v1/labels', late)).body.data).toEqual(['__name__', 'job', 'rack']);
  expect((await get('/api/v1/labels', { ...late, 'match[]': 'both' })).body.data).toEqual(['__name__', 'job']);
  expect((await get('/api/v1/label/__name__/values', early)).body.data).toEqual(['both', 'early']);
  expect((await get('/api/v1/label/job/values', late)).body.data).toEqual(['a', 'b']);
  expect((await get('/api/v1/label/job/values', { ...late, 'match[]': 'late' })).body.data).toEqual(['b']);
  // Only a start, only an end (RFC 3339), a range with no samples, and no range at all.
  expect((await get('/api/v1/label/__name__/values', { start: s(t0 + 1000) })).body.data).toEqual(['both', 'late']);
  const endIso = new Date(t0 + 1000).toISOString();
  expect((await get('/api/v1/label/__name__/values', { end: endIso })).body.data).toEqual(['both', 'early']);
  expect((await get('/api/v1/labels', { start: '1', end: '2' })).body.data).toEqual([]);
  expect((await get('/api/v1/labels', { start: s(t0 + 1000), end: s(t0) })).body.data).toEqual([]);
  expect((await get('/api/v1/label/job/values')).body.data).toEqual(['a', 'b']);
  // POST forms, as Grafana sends them with its POST method setting.
  const posted = await postForm('/api/v1/series', `match[]=${encodeURIComponent('{job="a"}')}&start=${early.start}`);
  expect(posted.body.data).toEqual([
    { __name__: 'both', job: 'a' },
    { __name__: 'early', job: 'a', zone: 'x' },
  ]);
  expect((await postForm('/api/v1/labels', `start=${late.start}&end=${late.end}`)).body.data).toEqual([
    '__name__',
    'job',
    'rack',
  ]);
});

test('remote_write metadata is stored once, bounded, and listed as Prometheus lists it', async () => {
  const first: MetricMetadata[] = [
    { type: MetricType.COUNTER, metricFamilyName: 'http_requests', help: 'Requests served.', unit: '' },
    { type: MetricType.GAUGE, metricFamilyName: 'node_load1', help: '1m load average.', unit: '' },
    { type: MetricType.HISTOGRAM, metricFamilyName: 'latency_seconds', help: 'Latency.', unit: 'seconds' },
  ];
  const body = metadataBody(first);
  expect((await remoteWrite(h.url, body)).status).toBe(204);
  expect((await remoteWrite(h.url, body)).status).toBe(204); // a resent batch
  expect((await get('/api/v1/metadata')).body).toEqual({
    status: 'success',
    data: {
      http_requests: [{ type: 'counter', help: 'Requests served.', unit: '' }],
      latency_seconds: [{ type: 'histogram', help: 'Latency.', unit: 'seconds' }],
      node_load1: [{ type: 'gauge', help: '1m load average.', unit: '' }],
    },
  });
  expect((await get('/api/v1/metadata', { metric: 'node_load1' })).body.data).toEqual({
    node_load1: [{ type: 'gauge', help: '1m load average.', unit: '' }],
  });
  expect(Object.keys((await get('/api/v1/metadata', { limit: '2' })).body.data)).toEqual([
    'http_requests',
    'latency_seconds',
  ]);
  expect((await get('/api/v1/metadata', { limit: '0' })).body.data).toEqual({});
  expect((await get('/api/v1/metadata', { limit: '-1' })).body.data).toHaveProperty('node_load1');
  expect((await get('/api/v1/metadata', { metric: 'nothing' })).body.data).toEqual({});

  // Two targets with different help: both listed. Many versions of one family: the newest 10 kept.
  const versions = Array.from({ length: 25 }, (_, i) => ({
    type: MetricType.GAUGE,
    metricFamilyName: 'churn',
    help: `version ${i} ${'h'.repeat(2000)}`, // long help: the key holds its digest
    unit: '',
  }));
  for (let i = 0; i < versions.length; i += 5) {
    expect((await remoteWrite(h.url, metadataBody(versions.slice(i, i + 5)))).status).toBe(204);
  }
  const churn = (await get('/api/v1/metadata', { metric: 'churn' })).body.data.churn;
  expect(churn).toHaveLength(10);
  expect(churn.map((e: { help: string }) => e.help.split(' ')[1]).sort()).toEqual(
    ['15', '16', '17', '18', '19', '20', '21', '22', '23', '24'].sort(),
  );
  const { rows } = await h.pool.query<{ n: string }>(`SELECT count(*) AS n FROM metric_metadata`);
  expect(Number(rows[0].n)).toBe(13);
});

test('invalid metadata is refused with a reason; the rest of the request is stored', async () => {
  const body = snappyCompress(
    encodeWriteRequest({
      timeseries: [series('with_metadata', { job: 'm' }, [[t0, 1]])],
      metadata: [
        { type: MetricType.GAUGE, metricFamilyName: 'good_one', help: 'fine', unit: '' },
        { type: MetricType.GAUGE, metricFamilyName: 'bad name', help: 'x', unit: '' },
        { type: 42 as MetricType, metricFamilyName: 'bad_type', help: 'x', unit: '' },
        { type: MetricType.GAUGE, metricFamilyName: 'nul_help', help: 'a\u0000b', unit: '' },
        { type: MetricType.GAUGE, metricFamilyName: 'long_help', help: 'x'.repeat(5000), unit: '' },
      ],
    }),
  );
  const answer = await remoteWrite(h.url, body);
  expect(answer.status).toBe(400);
  expect(answer.text).toMatch(/stored 1 samples/);
  expect(answer.text).toMatch(/invalid metric name "bad name"/);
  expect(answer.text).toMatch(/unknown metric type 42/);
  expect(answer.text).toMatch(/NUL/);
  expect(answer.text).toMatch(/help longer than 2048 bytes/);
  const stored = (await get('/api/v1/metadata')).body.data;
  expect(stored.good_one).toEqual([{ type: 'gauge', help: 'fine', unit: '' }]);
  expect(Object.keys(stored)).not.toEqual(expect.arrayContaining(['bad_type']));
  expect((await get('/api/v1/series', { 'match[]': 'with_metadata' })).body.data).toEqual([
    { __name__: 'with_metadata', job: 'm' },
  ]);
});

test('buildinfo claims Prometheus 2.42.0; runtimeinfo has its fields', async () => {
  const build = await get('/api/v1/status/buildinfo');
  expect(build.status).toBe(200);
  expect(build.body.data).toEqual({
    version: '2.42.0',
    revision: 'timescale-adapter dev',
    branch: '',
    buildUser: '',
    buildDate: '',
    goVersion: `node ${process.version}`,
  });
  const runtime = (await get('/api/v1/status/runtimeinfo')).body.data;
  expect(Object.keys(runtime)).toEqual([
    'startTime',
    'CWD',
    'reloadConfigSuccess',
    'lastConfigTime',
    'corruptionCount',
    'goroutineCount',
    'GOMAXPROCS',
    'GOGC',
    'GODEBUG',
    'storageRetention',
  ]);
  expect(runtime.storageRetention).toBe('90d');
  expect((await get('/api/v1/query_exemplars', { query: 'up' })).body).toEqual({ status: 'success', data: [] });
});

test('every endpoint needs the read token; a write token does not read', async () => {
  for (const path of [
    '/api/v1/series?match[]=up',
    '/api/v1/labels',
    '/api/v1/label/job/values',
    '/api/v1/metadata',
    '/api/v1/query_exemplars?query=up',
    '/api/v1/status/buildinfo',
    '/api/v1/status/runtimeinfo',
  ]) {
    const anonymous = await fetch(`${h.url}${path}`);
    expect([path, anonymous.status]).toEqual([path, 401]);
    const writer = await fetch(`${h.url}${path}`, {
      headers: { Authorization: 'Bearer write-token-0123456789abcdef' },
    });
    expect([path, writer.status]).toEqual([path, 401]);
    expect(await writer.json()).toMatchObject({ status: 'error', errorType: 'unauthorized' });
  }
});
