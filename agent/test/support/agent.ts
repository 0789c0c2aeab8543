// Starts the built harvester binary for end-to-end tests.

import { dirname, join } from 'node:path';
import { freePort, type Service, startService, waitForHttp } from '@nester/common/testing/services';

export const HARVESTER_BIN = join(dirname(require.resolve('@nester/agent/package.json')), 'bin', 'harvester.js');

export interface RunningAgent {
  service: Service;
  url: string;
  port: number;
}

export async function startAgent(args: string[] = []): Promise<RunningAgent> {
  const port = await freePort();
  // Executed as users run it, so the V8 flags on the bin's first line apply.
  const service = startService('harvester', HARVESTER_BIN, [
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...args,
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(service, `${url}/`);
  return { service, url, port };
}

export async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  if (!res.ok) throw new Error(`scrape of ${url} failed: HTTP ${res.status}`);
  return res.text();
}
