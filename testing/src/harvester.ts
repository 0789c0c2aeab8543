// The built harvester agent as a process in end-to-end tests: serving metrics on a free port,
// or enrolled with a test nester for remote access.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { readEnrolment } from '@nester/agent/remote/state';
import { freePort, type Service, startService, waitForHttp } from './services';

export const HARVESTER_BIN = join(dirname(require.resolve('@nester/agent/package.json')), 'bin', 'harvester.js');

export interface RunningHarvester {
  service: Service;
  url: string;
  port: number;
}

/** A harvester serving metrics on a free loopback port, started once it answers. */
export async function startHarvester(args: string[] = []): Promise<RunningHarvester> {
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

/** The text exposition of a harvester (or any exporter) at `url`. */
export async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  if (!res.ok) throw new Error(`scrape of ${url} failed: HTTP ${res.status}`);
  return res.text();
}

export interface EnrolledHarvester {
  service: Service;
  stateDir: string;
  /** The id nester gave it at enrolment. */
  harvesterId: string;
  stop(): Promise<void>;
}

export interface RemoteOptions {
  vncPort?: number;
  terminal?: boolean;
  args?: string[];
}

/** `harvester enroll` against a test nester, keeping the credential in `stateDir`. */
export async function enrol(nesterUrl: string, token: string, stateDir: string, extra: string[] = []) {
  return promisify(execFile)(process.execPath, [
    HARVESTER_BIN,
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

/** A harvester enrolled with nester and connected for remote access (no collectors). */
export async function startEnrolledHarvester(
  nesterUrl: string,
  enrolmentToken: string,
  options: RemoteOptions = {},
): Promise<EnrolledHarvester> {
  const stateDir = mkdtempSync(join(tmpdir(), 'harvester-state-'));
  await enrol(nesterUrl, enrolmentToken, stateDir);
  // Read as the agent reads its own state file: the id nester gave it at enrolment.
  const enrolment = readEnrolment(stateDir);
  if (!enrolment) throw new Error(`harvester enroll left no enrolment in ${stateDir}`);
  const { harvesterId } = enrolment;
  const service = spawnHarvester(stateDir, options);
  return {
    service,
    stateDir,
    harvesterId,
    async stop() {
      await service.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export function spawnHarvester(stateDir: string, options: RemoteOptions = {}): Service {
  return startService('harvester', process.execPath, [
    HARVESTER_BIN,
    '--web.listen-address=127.0.0.1:0',
    '--collector.disable-defaults',
    `--remote.state-dir=${stateDir}`,
    `--remote.vnc-address=127.0.0.1:${options.vncPort ?? 1}`,
    ...(options.terminal ? ['--remote.terminal'] : []),
    ...(options.args ?? []),
  ]);
}
