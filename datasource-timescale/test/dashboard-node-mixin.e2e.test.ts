// Importing a real community dashboard: every query of the node_exporter mixin's "Nodes"
// dashboard, in two versions years apart (test/dashboards/ names the sources), is asked of Debian's
// Prometheus 2.42 and of the adapter, as Grafana asks it for "last 5 minutes" and "last 2
// minutes" (template variables substituted, steps and ranges aligned as Grafana aligns them),
// and as instant queries (stat and gauge panels). Prometheus scrapes two real node_exporters
// every second and remote_writes every sample into the adapter, so both hold the same data;
// the answers must agree as the corpus differential test requires (promql-compare.ts).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_EXPORTER_BIN, startPrometheus, type RunningPrometheus } from '@nester/testing/prometheus';
import { eventually, freePort, startService, type Service } from '@nester/testing/services';
import type { Dashboard, DashboardTarget } from './dashboards/dashboard';
import { NODE_MIXIN_NODES } from './dashboards/node-mixin-nodes';
import { NODE_MIXIN_NODES_LINUX } from './dashboards/node-mixin-nodes-linux';
import { compressClosedChunks } from './compress';
import { startHarness, WRITE_TOKEN, type Harness } from './harness';
import { ask, difference } from './promql-compare';

let h: Harness;
let prom: RunningPrometheus;
const exporters: Service[] = [];
let dir: string;
const instances: string[] = [];
/** The end of the dashboards' time range: both hold every sample up to it (checked in beforeAll). */
let endMs = 0;
/** Enough scraped history (1 s apart) for the 1m rate windows of the "last 2 minutes" range. */
const HISTORY_SCRAPES = 150;

/**
 * Per server, each series' number of samples in the 7 minutes up to `at` (all the test reads): a raw
 * range selector, since any function over {job="node"} would drop the names and collide.
 */
const sampleCount = (at: number) =>
  Promise.all(
    [false, true].map(async (auth) => {
      const a = await ask(
        auth ? h.url : prom.url,
        '/api/v1/query',
        { query: '{job="node"}[7m]', time: String(at / 1000) },
        auth,
      );
      if (a.body.status !== 'success') throw new Error(`{job="node"}[7m]: ${a.status} ${a.body.error}`);
      return ((a.body.data?.result ?? []) as { metric: Record<string, string>; values: unknown[] }[])
        .map((s) => `${JSON.stringify(s.metric)} ${s.values.length}`)
        .sort();
    }),
  );

beforeAll(
  async () => {
    // Two node_exporters' ~2,000 series, a sample a second: the completeness check below reads them all.
    // One-minute chunks: on TimescaleDB all but the newest minutes are compressed below.
    h = await startHarness('dashboard_node_mixin', {
      queryTimeoutMs: 30_000,
      maxSamples: 20_000_000,
      chunkIntervalMs: 60_000,
    });
    dir = mkdtempSync(join(tmpdir(), 'dashboard-node-mixin-'));
    writeFileSync(join(dir, 'write.token'), `${WRITE_TOKEN}\n`, { mode: 0o600 });
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      instances.push(`127.0.0.1:${port}`);
      exporters.push(startService(`node_exporter-${i}`, NODE_EXPORTER_BIN, [`--web.listen-address=127.0.0.1:${port}`]));
    }
    prom = await startPrometheus(
      `global: {scrape_interval: 1s}
scrape_configs:
  - job_name: node
    static_configs: [{targets: ${JSON.stringify(instances)}}]
remote_write:
  - url: ${h.url}/api/v1/write
    authorization: {credentials_file: ${join(dir, 'write.token')}}
    queue_config: {batch_send_deadline: 500ms, min_backoff: 50ms, max_backoff: 500ms}
`,
    );
    // History accumulates with the scrapes; then the range ends a little before now, and the adapter
    // must hold, for every series, as many samples up to that end as Prometheus does.
    await eventually(
      async () => {
        const [least] = await prom.query(`min(count_over_time(up{job="node"}[10m]))`);
        return least && Number(least.value[1]) >= HISTORY_SCRAPES ? true : undefined;
      },
      `${HISTORY_SCRAPES} scrapes of each node_exporter`,
      HISTORY_SCRAPES * 1000 + 120_000,
    );
    endMs = Math.floor((Date.now() - 5_000) / 1000) * 1000;
    await eventually(
      async () => {
        const [p, a] = await sampleCount(endMs);
        if (p.length < 1000 || p.join() !== a.join()) {
          // Thrown, not returned: eventually's timeout then says what still differs.
          const missing = p.filter((line) => !a.includes(line));
          throw new Error(
            `${p.length} series counted by Prometheus, ${a.length} by the adapter; first differing: ${missing.slice(0, 3).join(' | ')}`,
          );
        }
        return true;
      },
      'the adapter to hold every sample Prometheus holds',
      60_000,
    );
    await compressClosedChunks(h.pool);
  },
  HISTORY_SCRAPES * 1000 + 300_000,
);

afterAll(async () => {
  await Promise.all([prom?.stop(), ...exporters.map((e) => e.stop())]);
  await h?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

const seconds = (s: string) =>
  Number(/^(\d+)([smh])$/.exec(s)![1]) * { s: 1, m: 60, h: 3600 }[/[smh]$/.exec(s)![0] as 's' | 'm' | 'h'];

/** The data source's scrape interval (Prometheus scrapes every second here). */
const SCRAPE_S = 1;

type Ask = [path: string, expr: string, params: Record<string, string>];

/**
 * Grafana's Prometheus query for one target over `rangeS` seconds ending at `endS`, on a panel whose
 * own interval (range / max data points, at least the data source's scrape interval) is
 * `panelIntervalS`: the step is max(panel interval × intervalFactor, the target's min interval),
 * $__interval becomes that step and $__rate_interval max(step + scrape interval, 4 × scrape
 * interval), and start and end are floored to multiples of the step.
 */
function grafanaRange(t: DashboardTarget, instance: string, endS: number, rangeS: number, panelIntervalS: number) {
  const step = Math.max(panelIntervalS * (t.intervalFactor ?? 1), t.interval ? seconds(t.interval) : 0);
  const rateInterval = Math.max(step + SCRAPE_S, 4 * SCRAPE_S);
  const expr = t.expr
    .replaceAll('$instance', instance)
    .replaceAll('$__rate_interval', `${rateInterval}s`)
    .replaceAll('$__interval', `${step}s`);
  const start = Math.floor((endS - rangeS) / step) * step;
  const end = Math.floor(endS / step) * step;
  return { expr, params: { query: expr, start: String(start), end: String(end), step: String(step) } };
}

describe.each<[string, Dashboard]>([
  ["the node_exporter mixin's Nodes dashboard", NODE_MIXIN_NODES],
  ["the node_exporter mixin's Nodes dashboard for Linux, years later", NODE_MIXIN_NODES_LINUX],
])('%s', (_, dashboard) => {
  test(`every query answers as Prometheus 2.42 (${dashboard.source})`, async () => {
    const endS = endMs / 1000;
    const mismatches: string[] = [];
    const matched: string[] = [];
    let compared = 0;
    let nonEmpty = 0;
    for (const target of dashboard.targets) {
      let ok = true;
      for (const instance of instances) {
        const range = (rangeS: number, panelIntervalS: number): Ask => {
          const { expr, params } = grafanaRange(target, instance, endS, rangeS, panelIntervalS);
          return ['/api/v1/query_range', expr, params];
        };
        // Last 5 minutes and last 2 minutes on a panel of some hundred points: a 1 s panel interval
        // (the data source's scrape interval floors range / points); and a 15 s one (a narrow panel).
        const asks: Ask[] = [range(300, 1), range(120, 1), range(300, 15)];
        // Stat and gauge panels ask instant queries: at the range's end and before it.
        const { expr } = grafanaRange(target, instance, endS, 300, 1);
        for (const at of [endS, endS - 7.5, endS - 61]) {
          asks.push(['/api/v1/query', expr, { query: expr, time: String(at) }]);
        }
        for (const [path, text, params] of asks) {
          const [p, o] = await Promise.all([ask(prom.url, path, params, false), ask(h.url, path, params, true)]);
          compared++;
          if (((p.body.data?.result ?? []) as unknown[]).length > 0) nonEmpty++;
          const d = difference(text, p, o);
          if (d) {
            ok = false;
            mismatches.push(`[${target.panel}] ${path} ${JSON.stringify(params)}: ${d}`);
            break;
          }
        }
      }
      if (ok) matched.push(`[${target.panel}] ${target.expr.replace(/\s+/g, ' ').trim()}`);
    }
    // The figures and the list the README quotes.
    console.log(
      `Dashboard differential (${dashboard.source}): ${matched.length}/${dashboard.targets.length} queries match, ${compared} answers compared (${nonEmpty} non-empty)\n${matched.join('\n')}`,
    );
    expect(mismatches).toEqual([]);
    // Every answer had series: an empty answer on both sides would prove nothing.
    expect(nonEmpty).toBe(compared);
  }, 300_000);

  test('the $instance variable query (label_values) lists the same instances', async () => {
    const params = {
      'match[]': dashboard.instanceMatch,
      start: String(endMs / 1000 - 300),
      end: String(endMs / 1000),
    };
    const path = '/api/v1/label/instance/values';
    const [p, o] = await Promise.all([ask(prom.url, path, params, false), ask(h.url, path, params, true)]);
    expect(o).toEqual(p);
    expect(p.body.data).toEqual([...instances].sort());
  });
});
