// Versioned schema migrations, applied at start-up. Several replicas may start at once: an
// advisory lock makes them take turns, and each migration commits with its version row.

import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../log/logger';

export interface Migration {
  version: number;
  name: string;
  /** SQL text, or a function for steps that depend on what the database offers. */
  up: string | ((client: PoolClient) => Promise<void>);
}

export async function migrate(pool: Pool, component: string, migrations: Migration[], log: Logger): Promise<number[]> {
  checkOrder(migrations);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`nester-migrations:${component}`]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      component text NOT NULL,
      version integer NOT NULL,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version))`);
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations WHERE component = $1',
      [component],
    );
    const done = new Set(rows.map((row) => row.version));
    const newest = Math.max(0, ...done);
    const known = Math.max(0, ...migrations.map((m) => m.version));
    if (newest > known) {
      throw new Error(
        `the database schema of ${component} is at version ${newest}, newer than this build knows (${known}); upgrade this binary`,
      );
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      log.info({ component, version: migration.version, migration: migration.name }, 'applying migration');
      await client.query('BEGIN');
      try {
        if (typeof migration.up === 'string') await client.query(migration.up);
        else await migration.up(client);
        await client.query('INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)', [
          component,
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(
          `migration ${component} #${migration.version} (${migration.name}) failed: ${(err as Error).message}`,
          { cause: err },
        );
      }
      applied.push(migration.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`nester-migrations:${component}`]).catch(() => {});
    client.release();
  }
}

function checkOrder(migrations: Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration "${migration.name}" has version ${migration.version}; expected ${index + 1}`);
    }
  });
}
