// Test support: a real nester on a free loopback port, on a fresh database of the test cluster,
// with an API token to call it as Grafana would.

import { createLogger } from '@nester/common/log/logger';
import { eventually } from '@nester/testing/services';
import { type EnrolledHarvester, type RemoteOptions, startEnrolledHarvester } from '@nester/testing/harvester';
import { createTestDatabase, type TestDatabase } from '@nester/testing/database';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { type NesterConfig, type RunningNester, startNester } from '../../src/server/app';
import { createApiToken } from '../../src/store/api-tokens';
import { testPool } from '@nester/testing/pool';

export const GRAFANA_ORIGIN = 'http://grafana.test:3000';

export interface TestNester {
  nester: RunningNester;
  pool: Pool;
  url: string;
  apiToken: string;
  recordingsDir: string;
  /** Calls the JSON API as Grafana's proxy would (API token + X-Grafana-User). */
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
  ): Promise<{ status: number; body: any }>;
  /** Restarts nester on the same port and database (what agents see as a nester restart), down for `downForMs`. */
  restart(downForMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestNester(
  overrides: Partial<NesterConfig> = {},
  relayOverrides: Partial<NesterConfig['relay']> = {},
): Promise<TestNester> {
  const database: TestDatabase = await createTestDatabase('nester');
  const { pool, end: endPool } = testPool(database.url);
  const recordingsDir = mkdtempSync(join(tmpdir(), 'nester-recordings-'));
  const log = createLogger({ name: 'nester-test', level: process.env.NESTER_TEST_LOG ?? 'error' });
  const config = (port: number): NesterConfig => ({
    host: '127.0.0.1',
    port,
    allowedOrigins: [GRAFANA_ORIGIN],
    heartbeatIntervalMs: 2000,
    presenceFlushMs: 100,
    relay: {
      ticketTtlMs: 30_000,
      idleMs: 60_000,
      maxLifetimeMs: 600_000,
      agentTimeoutMs: 10_000,
      helloTimeoutMs: 2000,
      maxFrameBytes: 1024 * 1024,
      marks: { high: 1024 * 1024, low: 256 * 1024 },
      maxSessionsPerHarvester: 4,
      maxSessionsPerUser: 8,
      recordingsDir,
      resumeWindowMs: 60_000,
      scrollbackBytes: 64 * 1024,
      desktopRecordingMaxBytes: 64 * 1024 * 1024,
      ...relayOverrides,
    },
    pool,
    log,
    ...overrides,
  });
  let nester = await startNester(config(0));
  const port = nester.port;
  const { token: apiToken } = await createApiToken(pool, 'tests');
  const url = `http://127.0.0.1:${port}`;
  return {
    get nester() {
      return nester;
    },
    pool,
    url,
    apiToken,
    recordingsDir,
    async api(method, path, body, headers = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiToken}`,
          'x-grafana-user': 'alice',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
      };
    },
    async restart(downForMs = 0) {
      await nester.close();
      if (downForMs > 0) await new Promise((resolve) => setTimeout(resolve, downForMs));
      nester = await startNester(config(port));
    },
    async stop() {
      await nester.close();
      await endPool();
      await database.drop();
      rmSync(recordingsDir, { recursive: true, force: true });
    },
  };
}

/**
 * Enrols a harvester with a new enrolment token (created with `tokenRequest`) and waits until it
 * is online with `capability`; the agent's output is in the error if it never is.
 */
export async function enrolOnlineHarvester(
  nester: TestNester,
  capability: 'vnc' | 'terminal',
  options: RemoteOptions,
  tokenRequest: Record<string, unknown> = { ttl: '10m' },
): Promise<{ agent: EnrolledHarvester; harvesterId: string }> {
  const { body: token } = await nester.api('POST', '/api/v1/enrollment-tokens', tokenRequest);
  const agent = await startEnrolledHarvester(nester.url, token.token, options);
  await eventually(async () => {
    const { body } = await nester.api('GET', `/api/v1/harvesters/${agent.harvesterId}`);
    return body.status === 'online' && body.capabilities?.[capability];
  }, `the agent to come online with ${capability} enabled`).catch(async (err: Error) => {
    await agent.stop();
    throw new Error(`${err.message}\nagent output:\n${agent.service.output()}`);
  });
  return { agent, harvesterId: agent.harvesterId };
}
