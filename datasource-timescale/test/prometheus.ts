// Debian's Prometheus as a peer: config writing, start-up and its HTTP query API.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpOk, startService, eventually, type Service } from '@nester/common/testing/services';

export const PROMETHEUS = '/usr/bin/prometheus';
export const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';

export interface PrometheusInstance {
  url: string;
  child: Service;
}

export async function startPrometheus(
  dir: string,
  port: number,
  config: string,
  extraArgs: string[] = [],
): Promise<PrometheusInstance> {
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, config);
  const child = startService('prometheus', PROMETHEUS, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...extraArgs,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await eventually(() => httpOk(`${url}/-/ready`), `prometheus on ${port} (${child.output().slice(-500)})`);
  return { url, child };
}

export interface PromSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export async function promQuery(url: string, path: string, params: Record<string, string>): Promise<PromSeries[]> {
  const res = await fetch(`${url}${path}?${new URLSearchParams(params)}`);
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data: { resultType: string; result: PromSeries[] };
  };
  if (body.status !== 'success') throw new Error(`prometheus query failed: ${body.error}`);
  return body.data.result;
}

/** Labels as one comparable string. */
export function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
