/** @jest-environment node */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { seeded } from '@nester/testing/random';

import { QueryResult, legendName } from './prometheusQuery';
import { Sandbox, startSandbox } from './server';
import { RecordingUpstream, startRecordingUpstream } from './testing';

// POST /api/ds/query for Grafana's built-in Prometheus datasource, against a recording upstream
// that answers as Prometheus does: what promlib would send (interpolated expression, aligned
// range, step, the datasource's header) and the frames it answers with.

let upstream: RecordingUpstream;
let sandbox: Sandbox;
let dataDir: string;
const HOUR = 3_600_000;

beforeAll(async () => {
  upstream = await startRecordingUpstream((req, res) => {
    const params = new URLSearchParams(upstream.seen[upstream.seen.length - 1].body);
    res.writeHead(params.get('query') === 'bad(' ? 400 : 200, { 'Content-Type': 'application/json' });
    if (params.get('query') === 'bad(') {
      res.end('{"status":"error","errorType":"bad_data","error":"1:5: parse error: unclosed left parenthesis"}');
      return;
    }
    const start = Number(params.get('start') ?? params.get('time'));
    const result = ['web-1', 'web-2'].map((instance, i) => ({
      metric: { __name__: 'up', instance, job: 'node' },
      ...(req.url!.endsWith('query_range')
        ? {
            values: [
              [start, String(i)],
              [start + Number(params.get('step')), String(i + 0.5)],
            ],
          }
        : { value: [start, String(i)] }),
    }));
    res.end(
      JSON.stringify({
        status: 'success',
        data: { resultType: req.url!.endsWith('query_range') ? 'matrix' : 'vector', result },
      }),
    );
  });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-dsquery-'));
  sandbox = await startSandbox({
    pluginRoots: [path.join(__dirname, '..', '..', '..', 'datasource-timescale', 'plugin', 'src')],
    shellDir: dataDir,
    dataDir,
    defaultUser: { login: 'vera', role: 'Viewer' },
    datasources: [
      {
        name: 'Prometheus',
        type: 'prometheus',
        uid: 'prom',
        access: 'proxy',
        url: `${upstream.url}/`,
        jsonData: { timeInterval: '15s', httpHeaderName1: 'Authorization' },
        secureJsonData: { httpHeaderValue1: 'Bearer the-read-token' },
      },
      {
        name: 'Other',
        type: 'nester-timescale-datasource',
        uid: 'other',
        access: 'proxy',
        url: upstream.url,
        jsonData: {},
        secureJsonData: {},
      },
    ],
  });
});

afterAll(async () => {
  await sandbox?.close();
  await upstream?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const post = async (body: unknown, contentType = 'application/json') => {
  const response = await fetch(`${sandbox.url}api/ds/query`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { results: Record<string, QueryResult> } };
};

test('a range query with $__rate_interval reaches Prometheus as promlib sends it, and comes back as frames', async () => {
  const to = 1_764_000_000_000 + 12_345;
  const { status, body } = await post({
    from: String(to - HOUR),
    to: String(to),
    queries: [
      {
        refId: 'A',
        datasource: { type: 'prometheus', uid: 'prom' },
        expr: 'sum by (instance) (rate(node_cpu_seconds_total[$__rate_interval]))',
        range: true,
        intervalMs: 15_000,
        maxDataPoints: 1200,
        legendFormat: '{{instance}} cpu',
      },
    ],
  });
  expect(status).toBe(200);
  const sent = upstream.seen[upstream.seen.length - 1];
  expect(sent.url).toBe('/api/v1/query_range');
  expect(sent.headers.authorization).toBe('Bearer the-read-token');
  expect(Object.fromEntries(new URLSearchParams(sent.body))).toEqual({
    query: 'sum by (instance) (rate(node_cpu_seconds_total[1m0s]))',
    start: String((Math.floor((to - HOUR) / 15_000) * 15_000) / 1000),
    end: String((Math.floor(to / 15_000) * 15_000) / 1000),
    step: '15',
  });
  const frames = body.results.A.frames;
  expect(frames.map((f) => f.schema.fields[1].config.displayNameFromDS)).toEqual(['web-1 cpu', 'web-2 cpu']);
  expect(frames[1].data.values[1]).toEqual([1, 1.5]);
  expect(frames[0].schema.meta.executedQueryString).toBe(
    'Expr: sum by (instance) (rate(node_cpu_seconds_total[1m0s]))\nStep: 15s',
  );
});

test("Prometheus' errors, other datasources and unknown uids are errors of their query", async () => {
  const range = { from: '0', to: String(HOUR) };
  const bad = await post({ ...range, queries: [{ refId: 'B', datasource: { uid: 'prom' }, expr: 'bad(' }] });
  expect(bad).toEqual({
    status: 400,
    body: {
      results: { B: { status: 400, frames: [], error: 'bad_data: 1:5: parse error: unclosed left parenthesis' } },
    },
  });
  const other = await post({ ...range, queries: [{ refId: 'C', datasource: { uid: 'other' }, expr: 'up' }] });
  expect(other.body.results.C.error).toBe(
    'the sandbox has no backend for datasources of type nester-timescale-datasource',
  );
  const missing = await post({ ...range, queries: [{ refId: 'D', datasource: { uid: 'nope' }, expr: 'up' }] });
  expect(missing.status).toBe(404);
});

test('legend names as promlib makes them', () => {
  const labels = { __name__: 'up', job: 'node', instance: 'a' };
  expect(legendName(undefined, labels, 'up')).toBe('up{instance="a", job="node"}');
  expect(legendName('__auto', labels, 'up')).toBe('');
  expect(legendName('{{ job }}/{{instance}}/{{missing}}', labels, 'up')).toBe('node/a/');
  expect(legendName(undefined, {}, '1+1')).toBe('1+1');
});

test('fuzzed request bodies get a 2xx or 4xx answer, never a 500, and the sandbox still serves', async () => {
  const random = seeded(4242);
  const values = [
    null,
    true,
    0,
    -1,
    1e300,
    'x',
    '',
    '123',
    [],
    {},
    { uid: 'prom' },
    '$__rate_interval',
    'up[$__range]',
  ];
  const pick = () => random.pick(values);
  for (let i = 0; i < 200; i++) {
    const query: Record<string, unknown> = {};
    for (const key of [
      'refId',
      'datasource',
      'expr',
      'range',
      'instant',
      'interval',
      'intervalMs',
      'maxDataPoints',
      'legendFormat',
    ]) {
      if (random.int(3)) query[key] = key === 'datasource' && random.int(2) ? { uid: 'prom' } : pick();
    }
    const shapes = [
      { from: pick(), to: pick(), queries: [query] },
      { from: '0', to: '3600000', queries: random.int(2) ? [query, pick()] : pick() },
      pick(),
      random.string(random.int(40), '{}[]":,0123456789abcdefqueris '),
    ];
    const body = random.pick(shapes);
    const { status } = await post(typeof body === 'string' ? body : JSON.stringify(body));
    expect([i, status >= 200 && status < 500]).toEqual([i, true]);
  }
  const ok = await post({ from: '0', to: '60000', queries: [{ refId: 'A', datasource: { uid: 'prom' }, expr: 'up' }] });
  expect(ok.status).toBe(200);
}, 60_000);
