// Debian's Prometheus (and node_exporter) as peers in end-to-end tests: start-up on a free
// loopback port with a given configuration, its query API, and stop.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type Service, startService, waitForHttp } from './services';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';
export const NODE_EXPORTER_BIN = '/usr/bin/prometheus-node-exporter';

export interface PrometheusOptions {
  args?: string[];
  /** Keeps the TSDB here across restarts (the caller removes it); else a temporary one is used. */
  dataDir?: string;
  port?: number;
}

/** An instant vector element, as /api/v1/query returns it. */
export interface InstantSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** A series with raw or step values, as range vectors and /api/v1/query_range return them. */
export interface PromSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export interface RunningPrometheus {
  service: Service;
  url: string;
  /** An instant query at `time` (seconds; default now). */
  query(expr: string, time?: number): Promise<InstantSample[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(config: string, options: PrometheusOptions = {}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'nester-prometheus-'));
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = options.port ?? (await freePort());
  const service = startService('prometheus', PROMETHEUS_BIN, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${options.dataDir ?? join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...(options.args ?? []),
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(service, `${url}/-/ready`);
  return {
    service,
    url,
    query: (expr, time) =>
      promQuery(url, '/api/v1/query', time === undefined ? { query: expr } : { query: expr, time: String(time) }),
    async stop() {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** GET on Prometheus' HTTP API; the result list, or an error with Prometheus' reason. */
export async function promQuery<T = PromSeries>(
  url: string,
  path: string,
  params: Record<string, string>,
): Promise<T[]> {
  const res = await fetch(`${url}${path}?${new URLSearchParams(params)}`);
  const body = (await res.json()) as { status: string; error?: string; data: { result: T[] } };
  if (body.status !== 'success') throw new Error(`Prometheus query ${JSON.stringify(params)} failed: ${body.error}`);
  return body.data.result;
}

/** A label set as one comparable string (sorted pairs). */
export function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
