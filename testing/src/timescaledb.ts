// A throwaway PostgreSQL 15 cluster with TimescaleDB preloaded, for the adapter's second test run
// and the TimescaleDB benchmarks. It uses Debian's postgresql-15 with the TimescaleDB build that
// ../shared/timescaledb/install.sh puts into it (TimescaleDB is not packaged in Debian).
// Reachable only through a Unix socket in its own directory: no port to collide with.

import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const PG_BIN = '/usr/lib/postgresql/15/bin';
const EXTENSION_CONTROL = '/usr/share/postgresql/15/extension/timescaledb.control';

export interface TimescaleCluster {
  /** Superuser URL of the cluster's `postgres` database. */
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** Why this machine cannot run one, or undefined when it can. */
export function timescaleUnavailableReason(): string | undefined {
  if (!existsSync(join(PG_BIN, 'postgres'))) {
    return `PostgreSQL 15 is not installed (${PG_BIN}/postgres is missing)`;
  }
  if (!existsSync(EXTENSION_CONTROL)) {
    return `TimescaleDB is not installed into PostgreSQL 15 (${EXTENSION_CONTROL} is missing)`;
  }
  return undefined;
}

export interface TimescaleClusterOptions {
  /**
   * timescaledb.max_background_workers; 0 (the default) keeps TimescaleDB's scheduler off, for tests
   * that run policies with CALL run_job. Only its scheduler records runs in job_stats and job_errors.
   */
  backgroundWorkers?: number;
  /** Preload TimescaleDB (default); false: the same PostgreSQL 15 without it, for benchmarks. */
  timescaledb?: boolean;
  /** fsync and synchronous_commit on, as in production (benchmarks); tests run without (default). */
  durable?: boolean;
}

/** Initialises and starts a cluster under a fresh /tmp directory; `stop()` removes it again. */
export async function startTimescaleCluster(o: TimescaleClusterOptions = {}): Promise<TimescaleCluster> {
  const unavailable = timescaleUnavailableReason();
  if (unavailable) {
    throw new Error(`${unavailable}. Install it with: bash ../shared/timescaledb/install.sh (as root)`);
  }
  const dir = mkdtempSync('/tmp/nester-tsdb-');
  const data = join(dir, 'data');
  // PostgreSQL refuses to run as root: as root, the cluster belongs to Debian's `postgres` user.
  const owner = process.getuid?.() === 0 ? systemUser('postgres') : undefined;
  if (owner) {
    chmodSync(dir, 0o700);
    chownSync(dir, owner.uid, owner.gid);
  }
  const run = (binary: string, args: string[]) =>
    execFileAsync(join(PG_BIN, binary), args, { cwd: dir, uid: owner?.uid, gid: owner?.gid, timeout: 120_000 });
  try {
    await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
    const options = [
      `-c listen_addresses=''`,
      `-c unix_socket_directories=${dir}`,
      ...(o.timescaledb === false
        ? []
        : [
            '-c shared_preload_libraries=timescaledb',
            '-c timescaledb.telemetry_level=off',
            // Tests run policies with CALL run_job(id) at known points; background jobs would race
            // them (and can fail with "cannot drop portal" on some 15.x minors).
            `-c timescaledb.max_background_workers=${o.backgroundWorkers ?? 0}`,
          ]),
      '-c max_connections=300',
      ...(o.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off']),
    ].join(' ');
    await run('pg_ctl', ['-D', data, '-l', join(dir, 'postgres.log'), '-o', options, '-w', '-t', '120', 'start']);
  } catch (error) {
    const log = existsSync(join(dir, 'postgres.log')) ? readFileSync(join(dir, 'postgres.log'), 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start PostgreSQL 15 with TimescaleDB: ${describe(error)}\n${log.slice(-2000)}`, {
      cause: error,
    });
  }
  return {
    url: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(dir)}`,
    dir,
    stop: async () => {
      try {
        await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function systemUser(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) throw new Error(`there is no ${name} user to run PostgreSQL as (apt-get install postgresql-15)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'stderr' in error) {
    const stderr = String(error.stderr).trim();
    if (stderr) return stderr;
  }
  return error instanceof Error ? error.message : String(error);
}
