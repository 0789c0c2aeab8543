// A differential test of Prometheus' HTTP API besides queries: Debian's Prometheus 2.42 scrapes
// node_exporter every second and remote_writes samples and metadata (every second) into the
// adapter; then the same requests go to both, and the answers must agree: series, label names
// and values (with match[], start/end), metadata (metric, limit), exemplars, and, for bad
// input, status code, errorType and error text.

import { eventually, freePort, startService, type Service } from '@nester/testing/services';
import { NODE_EXPORTER_BIN, startPrometheus, type RunningPrometheus } from '@nester/testing/prometheus';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READ_TOKEN, startHarness, WRITE_TOKEN, type Harness } from './harness';

let h: Harness;
let prom: RunningPrometheus;
let nodeExporter: Service;
let dir: string;

interface Answer {
  status: number;
  body: { status: string; data?: unknown; errorType?: string; error?: string };
}

async function ask(base: string, path: string, init: RequestInit = {}, token?: string): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Answer['body'] };
  } catch {
    return { status: res.status, body: { status: `not JSON: ${text.slice(0, 100)}` } };
  }
}
const both = (path: string, init: RequestInit = {}) =>
  Promise.all([ask(prom.url, path, init), ask(h.url, path, init, READ_TOKEN)]);

beforeAll(async () => {
  h = await startHarness('adapter_prom_api_e2e');
  dir = mkdtempSync(join(tmpdir(), 'prom-api-e2e-'));
  writeFileSync(join(dir, 'write.token'), `${WRITE_TOKEN}\n`, { mode: 0o600 });
  const nePort = await freePort();
  nodeExporter = startService('node_exporter', NODE_EXPORTER_BIN, [
    `--web.listen-address=127.0.0.1:${nePort}`,
    '--collector.disable-defaults',
    '--collector.loadavg',
    '--collector.time',
  ]);
  prom = await startPrometheus(
    `global: {scrape_interval: 1s}
scrape_configs:
  - job_name: node
    static_configs: [{targets: ['127.0.0.1:${nePort}']}]
remote_write:
  - url: ${h.url}/api/v1/write
    authorization: {credentials_file: ${join(dir, 'write.token')}}
    queue_config: {batch_send_deadline: 500ms, min_backoff: 50ms, max_backoff: 500ms}
    metadata_config: {send: true, send_interval: 1s}
`,
  );
  // Both hold the same series once a few scrapes went through.
  await eventually(
    async () => {
      const [p, a] = await both(`/api/v1/series?match[]=${encodeURIComponent('{job="node"}')}`);
      const n = (p.body.data as unknown[] | undefined)?.length ?? 0;
      return n > 20 && JSON.stringify(sortSeries(p.body.data)) === JSON.stringify(sortSeries(a.body.data))
        ? true
        : undefined;
    },
    'the adapter to hold the series Prometheus holds',
    60_000,
  );
}, 120_000);

afterAll(async () => {
  await Promise.all([prom?.stop(), nodeExporter?.stop()]);
  await h?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

function sortSeries(data: unknown): unknown {
  return Array.isArray(data) ? data.map((m) => JSON.stringify(m)).sort() : data;
}

const enc = encodeURIComponent;
const nowS = () => Math.floor(Date.now() / 1000);

test('series, label names and label values agree', async () => {
  const around = `start=${nowS() - 3600}&end=${nowS() + 3600}`;
  const paths = [
    `/api/v1/series?match[]=${enc('{job="node"}')}`,
    `/api/v1/series?match[]=up&match[]=${enc('node_load1')}&match[]=up`,
    `/api/v1/series?match[]=${enc('{__name__=~"node_load.*|go_goroutines"}')}&${around}`,
    `/api/v1/series?match[]=${enc('{job="node",__name__!~"go_.*|node_.*|process_.*|promhttp_.*"}')}`,
    `/api/v1/series?match[]=up&start=1&end=2`,
    `/api/v1/series?match[]=up&start=${nowS()}&end=${nowS() - 60}`,
    `/api/v1/series?match[]=${enc('{job="nothing"}')}`,
    `/api/v1/labels`,
    `/api/v1/labels?match[]=up`,
    `/api/v1/labels?match[]=${enc('{__name__=~"go_gc.*"}')}&${around}`,
    `/api/v1/labels?start=1&end=2`,
    `/api/v1/label/__name__/values`,
    `/api/v1/label/__name__/values?${around}`,
    `/api/v1/label/__name__/values?match[]=${enc('{__name__=~"node_.*"}')}`,
    `/api/v1/label/instance/values?match[]=up`,
    `/api/v1/label/quantile/values`,
    `/api/v1/label/version/values?match[]=go_info`,
    `/api/v1/label/no_such_label/values`,
    `/api/v1/label/job/values?start=1&end=2`,
  ];
  for (const path of paths) {
    const [p, a] = await both(path);
    expect({ path, status: a.status, body: a.body }).toEqual({ path, status: p.status, body: p.body });
  }
  // POST forms, as Grafana sends them when its HTTP method is POST.
  for (const [path, form] of [
    ['/api/v1/series', `match[]=${enc('{job="node",__name__=~"node_load.*"}')}&${around}`],
    ['/api/v1/labels', `match[]=up&${around}`],
  ]) {
    const init = { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
    const [p, a] = await both(path, init);
    expect({ path, form, status: a.status, body: sortSeries(a.body.data) }).toEqual({
      path,
      form,
      status: p.status,
      body: sortSeries(p.body.data),
    });
  }
}, 60_000);

test('metadata agrees: what Prometheus serves for its targets is what it remote_wrote', async () => {
  const normalise = (data: unknown) =>
    Object.fromEntries(
      Object.entries(data as Record<string, unknown[]>)
        .map(([k, v]) => [k, v.map((e) => JSON.stringify(e)).sort()] as const)
        .sort(([x], [y]) => (x < y ? -1 : 1)),
    );
  await eventually(
    async () => {
      const [p, a] = await both('/api/v1/metadata');
      return a.status === 200 && JSON.stringify(normalise(p.body.data)) === JSON.stringify(normalise(a.body.data))
        ? true
        : undefined;
    },
    'the same metadata',
    30_000,
  );
  const [p, a] = await both('/api/v1/metadata');
  expect(Object.keys(a.body.data as object).length).toBeGreaterThan(20);
  expect(normalise(a.body.data)).toEqual(normalise(p.body.data));
  for (const path of ['/api/v1/metadata?metric=node_load1', '/api/v1/metadata?metric=up', '/api/v1/metadata?limit=0']) {
    const [pm, am] = await both(path);
    expect({ path, status: am.status, body: am.body }).toEqual({ path, status: pm.status, body: pm.body });
  }
  // limit: as many families (Prometheus picks them in map order, the adapter in name order).
  const [pl, al] = await both('/api/v1/metadata?limit=3');
  expect(Object.keys(al.body.data as object)).toHaveLength(Object.keys(pl.body.data as object).length);
}, 60_000);

test('exemplars and the status endpoints have Prometheus shapes', async () => {
  for (const path of ['/api/v1/query_exemplars?query=up', '/api/v1/rules', '/api/v1/alerts']) {
    const [p, a] = await both(path);
    expect({ path, ...a }).toEqual({ path, ...p }); // Prometheus without rules: the same empty answers
  }
  const [pb, ab] = await both('/api/v1/status/buildinfo');
  const types = (o: unknown) => Object.entries(o as object).map(([k, v]) => [k, typeof v]);
  expect(types(ab.body.data)).toEqual(types(pb.body.data));
  expect((ab.body.data as { version: string }).version).toBe('2.42.0');
  expect((pb.body.data as { version: string }).version).toMatch(/^2\.42\.0/);
  const [pr, ar] = await both('/api/v1/status/runtimeinfo');
  expect(types(ar.body.data)).toEqual(types(pr.body.data));
});

/** Bad input, answered with Prometheus' status, errorType and words (exactly, or the same prefix). */
const BAD: { path: string; init?: RequestInit; compare: 'exact' | 'prefix' | 'kind' }[] = [
  { path: '/api/v1/series', compare: 'exact' },
  { path: '/api/v1/series?match[]=up&start=abc', compare: 'exact' },
  { path: '/api/v1/series?match[]=up&end=2026-13-01T00:00:00Z', compare: 'exact' },
  { path: `/api/v1/series?match[]=${enc('{}')}`, compare: 'exact' },
  { path: `/api/v1/series?match[]=${enc('{x=""}')}`, compare: 'exact' },
  { path: `/api/v1/series?match[]=up&match[]=${enc('{__name__=~".*"}')}`, compare: 'exact' },
  { path: '/api/v1/series?match[]=up&start=%zz', compare: 'exact' },
  { path: '/api/v1/series?match[]=up;x', compare: 'exact' },
  { path: `/api/v1/series?match[]=${enc('up{')}`, compare: 'prefix' },
  { path: `/api/v1/series?match[]=${enc('{x=~"("}')}`, compare: 'prefix' },
  { path: `/api/v1/series?match[]=${enc('sum(up)')}`, compare: 'prefix' },
  {
    path: '/api/v1/series',
    init: {
      method: 'POST',
      body: 'match[]=up&start=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    },
    compare: 'exact',
  },
  { path: '/api/v1/labels?start=x', compare: 'exact' },
  { path: '/api/v1/labels?match[]=up&end=1.2.3', compare: 'exact' },
  { path: `/api/v1/labels?match[]=${enc('{}')}`, compare: 'exact' },
  { path: `/api/v1/labels?match[]=${enc('up{')}`, compare: 'kind' },
  { path: '/api/v1/label/1bad/values', compare: 'exact' },
  { path: '/api/v1/label/a-b/values', compare: 'exact' },
  { path: '/api/v1/label/%FF/values', compare: 'exact' },
  { path: '/api/v1/label/job/values?end=zz', compare: 'exact' },
  { path: `/api/v1/label/job/values?match[]=${enc('{job=~".*"}')}`, compare: 'exact' },
  { path: `/api/v1/label/job/values?match[]=${enc('up{')}`, compare: 'kind' },
  { path: '/api/v1/metadata?limit=x', compare: 'exact' },
  { path: '/api/v1/metadata?limit=1.5', compare: 'exact' },
  { path: '/api/v1/query_exemplars', compare: 'exact' },
  { path: '/api/v1/query_exemplars?query=up&start=10&end=5', compare: 'exact' },
  { path: '/api/v1/query_exemplars?query=up&start=x', compare: 'exact' },
];

test('bad input gets the same status, errorType and words as from Prometheus', async () => {
  const differences = [];
  for (const { path, init, compare } of BAD) {
    const [p, a] = await both(path, init);
    const shape = (x: Answer) => ({ status: x.status, state: x.body.status, errorType: x.body.errorType });
    const error = (x: Answer) =>
      compare === 'exact'
        ? x.body.error
        : compare === 'prefix'
          ? /^invalid parameter "[^"]+": /.exec(x.body.error ?? '')?.[0]
          : '';
    if (JSON.stringify([shape(a), error(a)]) !== JSON.stringify([shape(p), error(p)])) {
      differences.push({ path, prometheus: p, adapter: a });
    }
    expect(p.status).toBe(400); // the case is bad input for Prometheus too
  }
  expect(differences).toEqual([]);
}, 60_000);
