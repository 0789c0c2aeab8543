// How nester's commands reach PostgreSQL: --db.url when given; otherwise the embedded cluster
// under --data-dir. A one-shot command (`nester token create`) must not start a second
// PostgreSQL on a data directory a running `nester serve` already uses: it joins that one
// through its Unix socket instead.

import { openDatabase, type Database } from '@nester/common/db/open';
import type { Logger } from '@nester/common/log/logger';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';

export const EMBEDDED_DATABASE = 'nester';

export async function connectDatabase(url: string | undefined, dataDir: string, log: Logger): Promise<Database> {
  if (!url) {
    const running = runningEmbedded(dataDir);
    if (running) {
      const pool = new Pool({ ...running, database: EMBEDDED_DATABASE, max: 2 });
      return { pool, description: `running embedded PostgreSQL in ${running.host}`, close: () => pool.end() };
    }
  }
  return openDatabase({ url, dataDir, embeddedDatabase: EMBEDDED_DATABASE, log });
}

function runningEmbedded(dataDir: string) {
  const root = resolve(dataDir);
  const pgData = join(root, 'postgres');
  const pidFile = join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  const password = readFileSync(join(root, 'postgres.password'), 'utf8').trim();
  return { host: pgData, port: 5432, user: 'nester', password };
}
