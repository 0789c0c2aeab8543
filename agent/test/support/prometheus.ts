// Debian's Prometheus server as a peer in end-to-end tests.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type Service, startService, waitForHttp } from '@nester/common/testing/services';

export interface RunningPrometheus {
  service: Service;
  url: string;
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

/** `dataDir` keeps the TSDB across restarts (the caller removes it); otherwise a temporary one is used. */
export async function startPrometheus(
  config: string,
  extraArgs: string[] = [],
  dataDir?: string,
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'nester-prometheus-'));
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const service = startService('prometheus', '/usr/bin/prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${dataDir ?? join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...extraArgs,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(service, `${url}/-/ready`);
  return {
    service,
    url,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as { status: string; error?: string; data: { result: [] } };
      if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
      return body.data.result;
    },
    async stop() {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
