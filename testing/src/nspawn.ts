// Test support: a real Debian 12 with systemd as PID 1, booted with systemd-nspawn (no Docker),
// for tests that install and start our archives as an operator would. The Debian root is built
// once with mmdebstrap and cached as a .tar.zst keyed by its package list (cold: a few minutes;
// warm: seconds to unpack); each test boots a fresh copy and throws it away.
//
// Needs root, systemd-nspawn (systemd-container), mmdebstrap and zstd: .ci/install-deps installs them.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_CACHE_DIR = process.env.NESTER_NSPAWN_CACHE || '/var/cache/nester-ci';
/** What every booted root needs: systemd as init, and what a machine has that curl | sh needs. */
export const BASE_PACKAGES = ['systemd', 'systemd-sysv', 'dbus', 'passwd', 'curl', 'ca-certificates'];

export interface BaseImage {
  path: string;
  /** Whether this call built it (a cold cache) and how long that took. */
  built: boolean;
  seconds: number;
}

/** Why the machine cannot boot containers, or undefined when it can. */
export function nspawnUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'systemd-nspawn needs root';
  for (const tool of ['/usr/bin/systemd-nspawn', '/usr/bin/mmdebstrap', '/usr/bin/zstd', '/usr/bin/nsenter']) {
    if (!existsSync(tool)) return `${tool} is missing: run bash .ci/install-deps (systemd-container mmdebstrap zstd)`;
  }
  return undefined;
}

function run(command: string, args: string[], timeoutMs = 15 * 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** The Debian mirror this machine's apt uses (the only one it can reach). */
function debianMirror(): string {
  const sources = '/etc/apt/sources.list.d/debian.sources';
  if (existsSync(sources)) {
    const uri = /^URIs:\s*(\S+)/m.exec(readFileSync(sources, 'utf8'))?.[1];
    if (uri) return uri;
  }
  const list = existsSync('/etc/apt/sources.list') ? readFileSync('/etc/apt/sources.list', 'utf8') : '';
  return /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(list)?.[1] ?? 'http://deb.debian.org/debian';
}

/**
 * A Debian bookworm root with `packages` (and BASE_PACKAGES) as a cached .tar.zst; built with
 * mmdebstrap when missing. Concurrent callers wait for one build (a lock directory).
 */
export async function debianBaseImage(packages: string[] = [], cacheDir = DEFAULT_CACHE_DIR): Promise<BaseImage> {
  const all = [...new Set([...BASE_PACKAGES, ...packages])].sort();
  const key = createHash('sha256')
    .update(`bookworm\n${all.join('\n')}`)
    .digest('hex')
    .slice(0, 16);
  const path = join(cacheDir, `debian-bookworm-${key}.tar.zst`);
  const started = Date.now();
  if (existsSync(path)) return { path, built: false, seconds: 0 };
  mkdirSync(cacheDir, { recursive: true });
  const lock = `${path}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      // Another process builds it; take over a lock whose owner is gone.
      const owner = Number(readFileSyncSafe(join(lock, 'pid')));
      if (owner && !existsSync(`/proc/${owner}`)) rmSync(lock, { recursive: true, force: true });
      else await new Promise((done) => setTimeout(done, 2000));
      if (existsSync(path)) return { path, built: false, seconds: (Date.now() - started) / 1000 };
    }
  }
  try {
    const tar = `${path}.${process.pid}.tar`;
    await run('mmdebstrap', [
      '--quiet',
      '--variant=apt',
      `--include=${all.join(',')}`,
      '--format=tar',
      'bookworm',
      tar,
      debianMirror(),
    ]);
    await run('zstd', ['-q', '-T0', '-3', '--rm', '-f', tar, '-o', `${tar}.zst`]);
    renameSync(`${tar}.zst`, path);
    return { path, built: true, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function readFileSyncSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Container {
  /** The container's root folder on the host. */
  root: string;
  /** Host pid of the container's systemd (PID 1 inside). */
  pid: number;
  /** Runs a command inside (all namespaces, the container's root), with a clean environment. */
  exec(
    command: string[],
    options?: { input?: string; env?: Record<string, string>; timeoutMs?: number },
  ): Promise<ExecResult>;
  /** `sh -c script` inside; rejects with the output when it exits non-zero. */
  sh(script: string): Promise<string>;
  /** What nspawn printed (the boot log). */
  log(): string;
  stop(): Promise<void>;
}

export interface BootOptions {
  image: string;
  /** Where to unpack the root (removed again by stop()). */
  dir: string;
  name: string;
  /** Own loopback and no network (private), or the host's network namespace (host). */
  network: 'host' | 'private';
  /** Host folders bound into the container at the same path (e.g. a database's socket folder). */
  binds?: string[];
}

/** Unpacks `image` and boots it; resolves once systemd reports running (or degraded). */
export async function bootContainer(options: BootOptions): Promise<Container> {
  const root = join(options.dir, 'root');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  await run('tar', ['--zstd', '-xf', options.image, '-C', root]);
  const args = [
    '-D',
    root,
    '--boot',
    // No systemd/D-Bus on the host to register with.
    '--register=no',
    '--keep-unit',
    // adjtimex (read-only here: the container has no CAP_SYS_TIME) for the timex collector.
    '--system-call-filter=@clock',
    '--console=passive',
    `--machine=${options.name}`,
    ...(options.network === 'private' ? ['--private-network'] : []),
    ...(options.binds ?? []).map((dir) => `--bind=${dir}`),
  ];
  const nspawn: ChildProcess = spawn('systemd-nspawn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  nspawn.stdout?.on('data', keep);
  nspawn.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => nspawn.once('exit', () => resolve()));

  const fail = async (why: string): Promise<never> => {
    nspawn.kill('SIGKILL');
    await exited;
    throw new Error(`${why}\n${output}`);
  };
  const deadline = Date.now() + 120_000;
  let pid = 0;
  while (!pid) {
    if (nspawn.exitCode !== null) await fail(`systemd-nspawn exited with ${nspawn.exitCode}`);
    if (Date.now() > deadline) await fail('the container did not start systemd within 2 minutes');
    pid = childNamed(nspawn.pid!, 'systemd');
    if (!pid) await new Promise((done) => setTimeout(done, 100));
  }

  const exec: Container['exec'] = (command, { input, env = {}, timeoutMs = 300_000 } = {}) =>
    new Promise((resolve) => {
      const environment = [
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'LANG=C.UTF-8',
        'HOME=/root',
      ];
      for (const [key, value] of Object.entries(env)) environment.push(`${key}=${value}`);
      const child = spawn(
        'nsenter',
        ['-t', String(pid), '-m', '-u', '-i', '-n', '-p', '--', 'env', '-i', ...environment, ...command],
        {
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
      // A command that does not read its input may exit before it is written.
      child.stdin.on('error', () => {});
      child.stdin.end(input ?? '');
    });
  const container: Container = {
    root,
    pid,
    exec,
    async sh(script) {
      const result = await exec(['sh', '-c', script]);
      if (result.code !== 0)
        throw new Error(`in the container, \`${script}\` exited ${result.code}:\n${result.stdout}${result.stderr}`);
      return result.stdout;
    },
    log: () => output,
    async stop() {
      if (nspawn.exitCode === null && nspawn.signalCode === null) {
        await exec(['systemctl', 'poweroff'], { timeoutMs: 10_000 });
        const timer = setTimeout(() => nspawn.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(root, { recursive: true, force: true });
    },
  };

  for (;;) {
    const state = (await exec(['systemctl', 'is-system-running'], { timeoutMs: 10_000 })).stdout.trim();
    if (state === 'running' || state === 'degraded') break;
    if (Date.now() > deadline) {
      await container.stop();
      throw new Error(`the container's systemd is "${state}" after 2 minutes\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  return container;
}

/** The pid of `parent`'s child whose command is `name`, or 0. */
function childNamed(parent: number, name: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readFileSyncSafe(`/proc/${entry}/stat`);
    const close = stat.lastIndexOf(')');
    if (close < 0) continue;
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    if (ppid === parent && comm === name) return Number(entry);
  }
  return 0;
}

/** Every file and folder under the container's root (one filesystem), for before/after comparisons. */
export async function fileList(container: Container, exclude: string[]): Promise<string[]> {
  const prune = exclude.map((path) => ['-path', path, '-prune', '-o']).flat();
  const result = await container.exec(['find', '/', '-xdev', ...prune, '-print']);
  if (result.code !== 0) throw new Error(`find failed: ${result.stderr}`);
  return result.stdout.split('\n').filter(Boolean).sort();
}

/** Size of a cached image, for logs. */
export function imageBytes(path: string): number {
  return statSync(path).size;
}
