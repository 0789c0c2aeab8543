// Benchmark support: start nester (the real binary, embedded PostgreSQL in a scratch directory)
// and harvester agents as separate processes, with a raised open-file limit, and always stop them.

import { HARVESTER_BIN } from '@nester/testing/harvester';
import { type Service, startService } from '@nester/testing/services';
import { execFile } from 'node:child_process';
import { processStat } from '@nester/testing/proc';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

export const NESTER = resolve(__dirname, '../../bin/nester.js');

/** Runs node with the open-file limit raised to the hard limit (10,000 sockets need more than the default). */
export function startNode(name: string, args: string[], env: NodeJS.ProcessEnv = {}): Service {
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of every node process started here.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  return startService(
    name,
    'bash',
    ['-c', 'ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"', process.execPath, ...profile, ...args],
    env,
  );
}

export async function nesterCommand(dataDir: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    NESTER,
    ...args,
    `--data-dir=${dataDir}`,
    '--log.level=warn',
  ]);
  return stdout.trim();
}

export async function harvester(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [HARVESTER_BIN, ...args]);
  return stdout.trim();
}

/** RSS (bytes) and CPU time (seconds, user+system) of a process, from /proc. */
export function processUsage(pid: number): { rss: number; cpuSeconds: number } {
  const { rssBytes, cpuMs } = processStat(pid);
  return { rss: rssBytes, cpuSeconds: cpuMs / 1000 };
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
