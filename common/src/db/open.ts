// One way for every server to get its database: the URL it was given, or the embedded
// cluster under its data directory when it was given none.

import { Pool, type PoolConfig } from 'pg';
import type { Logger } from '../log/logger';
import { startEmbeddedPostgres } from './embedded';

export interface Database {
  pool: Pool;
  /** What we connected to, safe to log (no password). */
  description: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; when absent an embedded PostgreSQL is started under dataDir. */
  url?: string;
  dataDir: string;
  /** Database name inside the embedded cluster (created on first use). */
  embeddedDatabase: string;
  log: Logger;
  pool?: Omit<PoolConfig, 'connectionString'>;
}

export async function openDatabase({
  url,
  dataDir,
  embeddedDatabase,
  log,
  pool: poolConfig,
}: OpenOptions): Promise<Database> {
  if (url) {
    const pool = new Pool({ connectionString: url, ...poolConfig });
    pool.on('error', (err) => log.warn({ err: err.message }, 'idle database connection failed'));
    await pool.query('SELECT 1').catch((err: Error) => {
      throw new Error(`cannot connect to the database at ${describeUrl(url)}: ${err.message}`);
    });
    return { pool, description: describeUrl(url), close: () => pool.end() };
  }

  const embedded = await startEmbeddedPostgres(dataDir, log);
  const admin = new Pool({ ...embedded.connection, max: 1 });
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [embeddedDatabase]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${embeddedDatabase.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  const pool = new Pool({ ...embedded.connection, database: embeddedDatabase, ...poolConfig });
  pool.on('error', (err) => log.warn({ err: err.message }, 'idle database connection failed'));
  return {
    pool,
    description: `embedded PostgreSQL in ${embedded.connection.host} (database ${embeddedDatabase})`,
    close: async () => {
      await pool.end();
      await embedded.stop();
    },
  };
}

/** The URL without its password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database URL>';
  }
}
