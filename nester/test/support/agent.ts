// Test support: a real harvester agent process (agent/bin/harvester.js, built by `npm run
// build`), enrolled with `harvester enroll` against the test nester.

import { type Service, startService } from '@nester/common/testing/services';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const HARVESTER = resolve(__dirname, '../../../agent/bin/harvester.js');

export interface TestAgent {
  service: Service;
  stateDir: string;
  stop(): Promise<void>;
}

export async function enrol(nesterUrl: string, token: string, stateDir: string, extra: string[] = []) {
  return promisify(execFile)(process.execPath, [
    HARVESTER,
    'enroll',
    '--nester-url',
    nesterUrl,
    '--token',
    token,
    '--state-dir',
    stateDir,
    ...extra,
  ]);
}

export async function startAgent(
  nesterUrl: string,
  enrolmentToken: string,
  options: { vncPort?: number; terminal?: boolean; args?: string[] } = {},
): Promise<TestAgent> {
  const stateDir = mkdtempSync(join(tmpdir(), 'harvester-state-'));
  await enrol(nesterUrl, enrolmentToken, stateDir);
  const service = spawnAgent(stateDir, options);
  return {
    service,
    stateDir,
    async stop() {
      await service.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export function spawnAgent(
  stateDir: string,
  options: { vncPort?: number; terminal?: boolean; args?: string[] } = {},
): Service {
  return startService('harvester', process.execPath, [
    HARVESTER,
    '--web.listen-address=127.0.0.1:0',
    '--collector.disable-defaults',
    `--remote.state-dir=${stateDir}`,
    `--remote.vnc-address=127.0.0.1:${options.vncPort ?? 1}`,
    ...(options.terminal ? ['--remote.terminal'] : []),
    ...(options.args ?? []),
  ]);
}
