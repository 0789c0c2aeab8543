// Test support: the real `nester serve` binary as a child process, for attack and fuzz tests.
// Only a separate process shows what an operator would see: whether it is still running after
// the attack, and whether anything but nester's own JSON log lines reached its stderr (an
// uncaught exception prints a stack trace and ends the process).

import { createTestDatabase, type TestDatabase } from '@nester/testing/database';
import { freePort, type Service, startService, waitForHttp } from '@nester/testing/services';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Pool } from 'pg';
import { createApiToken } from '../../src/store/api-tokens';
import { GRAFANA_ORIGIN } from './nester';
import { testPool } from '@nester/testing/pool';

const NESTER = resolve(__dirname, '../../bin/nester.js');

export interface NesterProcess {
  service: Service;
  port: number;
  url: string;
  pool: Pool;
  apiToken: string;
  /** Authorization and X-Grafana-User, as Grafana's proxy sends them. */
  headers: Record<string, string>;
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
  ): Promise<{ status: number; body: any }>;
  /** nester's log lines (pino JSON), parsed. */
  logLines(): Record<string, unknown>[];
  /** Fails unless the process still runs, /healthz answers and stderr holds only JSON log lines. */
  assertHealthy(): Promise<void>;
  stop(): Promise<void>;
}

export async function startNesterProcess(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<NesterProcess> {
  const database: TestDatabase = await createTestDatabase('nesterproc');
  const dataDir = mkdtempSync(join(tmpdir(), 'nester-proc-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = startService(
    'nester',
    process.execPath,
    [
      NESTER,
      'serve',
      `--web.listen-address=127.0.0.1:${port}`,
      `--data-dir=${dataDir}`,
      `--web.allowed-origins=${GRAFANA_ORIGIN}`,
      ...args,
    ],
    { DATABASE_URL: database.url, NESTER_LOG_LEVEL: 'info', ...env },
  );
  const { pool, end: endPool } = testPool(database.url, 3);
  try {
    await waitForHttp(service, `${url}/healthz`);
  } catch (err) {
    await service.stop('SIGKILL');
    await endPool();
    await database.drop();
    throw err;
  }
  const { token: apiToken } = await createApiToken(pool, 'attack tests');
  const headers = { authorization: `Bearer ${apiToken}`, 'x-grafana-user': 'alice' };
  const lines = () => service.output().split('\n').filter(Boolean);
  return {
    service,
    port,
    url,
    pool,
    apiToken,
    headers,
    async api(method, path, body, extra = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
      };
    },
    logLines: () =>
      lines().flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    async assertHealthy() {
      const { exitCode, signalCode } = service.process;
      if (exitCode !== null || signalCode !== null)
        throw new Error(`nester exited (${exitCode ?? signalCode}):\n${service.output().slice(-5000)}`);
      const notJson = lines().filter((line) => {
        try {
          JSON.parse(line);
          return false;
        } catch {
          return true;
        }
      });
      if (notJson.length) throw new Error(`nester wrote something other than log lines:\n${notJson.join('\n')}`);
      const uncaught = lines().filter((line) => /uncaught|unhandled/i.test(line));
      if (uncaught.length) throw new Error(`nester logged an uncaught exception:\n${uncaught.join('\n')}`);
      const health = await fetch(`${url}/healthz`);
      if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`);
    },
    async stop() {
      await service.stop();
      await endPool();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
