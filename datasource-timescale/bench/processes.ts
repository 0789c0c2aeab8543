// The programs a bench starts (adapters, Prometheus), each stopped again however the run ends.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { eventually, httpOk } from '@nester/testing/services';
import { say } from './report';

const children: ChildProcess[] = [];

/** Starts `command`; an exit other than by SIGTERM is reported with the end of its stderr. */
export function start(command: string, args: string[]): ChildProcess {
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of every node process started here (on exit).
  const profile =
    command === process.execPath && process.env.BENCH_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
      : [];
  const child = spawn(command, [...profile, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let tail = '';
  child.stderr?.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4000)));
  child.on('exit', (code) => code && code !== 143 && say(`${command} exited with ${code}: ${tail}`));
  children.push(child);
  return child;
}

export interface AdapterOptions {
  port: number;
  dbUrl: string;
  tokenFile: string;
  args?: string[];
}

/** The adapter binary (dist/, so `npm run build` first) on `dbUrl`, answering on 127.0.0.1:port. */
export function startAdapter(o: AdapterOptions): ChildProcess {
  return start(process.execPath, [
    join(__dirname, '../../bin/timescale-adapter.js'),
    `--web.listen-address=127.0.0.1:${o.port}`,
    `--db.url=${o.dbUrl}`,
    `--auth.write-token-file=${o.tokenFile}`,
    `--auth.read-token-file=${o.tokenFile}`,
    '--log.level=warn',
    ...(o.args ?? []),
  ]);
}

/** SIGTERM, SIGKILL after 1.5 s (30 s while profiling: the profile is written on exit); resolves once the child has exited. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), process.env.BENCH_PROFILE ? 30_000 : 1500);
  await exited;
  clearTimeout(timer);
}

export const stopAll = () => Promise.all(children.map(stop));

/** For a failing run on its way out: no waiting. */
export function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
}

/** Waits up to a minute for `url` to answer 2xx. */
export const ready = (url: string) => eventually(() => httpOk(url), `${url} to become ready`, 60_000);
