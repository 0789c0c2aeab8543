// Raw SQL runs on its own pool, logged in as its own role: a LOGIN role with SELECT on the
// adapter's four public relations and nothing else (no attributes, member of no role, never
// the owner). `SET ROLE` inside the owner's session is no boundary: `set_config('role', …)`
// or `RESET ROLE` inside the user's SELECT gets the owner's (often superuser) rights back.
//
// Where the role comes from:
//   --db.sql-reader-url given      that role, checked at start (refused when it could escape);
//   else, the owner may create roles (the embedded cluster's superuser, or CREATEROLE)
//                                  `<database>_sql_reader`, created or repaired at each start,
//                                  its generated password kept in an owner-only table;
//   else                           raw SQL is disabled, said at start and on each SQL query.

import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { Pool, type PoolConfig } from 'pg';
import type { Logger } from '@nester/common/log/logger';
import { describeUrl } from '@nester/common/db/open';

/** What raw SQL may read. */
export const READER_RELATIONS = ['label', 'series', 'samples', 'series_labels'];
/** The adapter's relations a reader must not write. */
const OWNED_TABLES = [
  'label',
  'series',
  'samples',
  'sample_partitions',
  'schema_migrations',
  'sql_reader_secret',
  'storage_settings',
];

export type SqlReader = { pool: Pool; role: string } | { pool?: undefined; disabled: string };

export interface SqlReaderOptions {
  owner: Pool;
  /** --db.url, when the owner connects through one; else the owner pool's own settings are reused. */
  ownerUrl?: string;
  /** --db.sql-reader-url. */
  readerUrl?: string;
  max: number;
  timeoutMs: number;
  log: Logger;
}

export class SqlReaderError extends Error {
  override name = 'SqlReaderError';
}

export async function openSqlReader(o: SqlReaderOptions): Promise<SqlReader> {
  const sessionSettings = {
    options: `-c default_transaction_read_only=on -c statement_timeout=${Math.floor(o.timeoutMs)}`,
  };
  if (o.readerUrl) {
    const pool = new Pool({ connectionString: o.readerUrl, max: o.max, ...sessionSettings });
    pool.on('error', (err) => o.log.warn({ err: err.message }, 'idle raw SQL connection failed'));
    try {
      const role = await verifiedRole(pool, o.owner);
      return { pool, role };
    } catch (err) {
      await pool.end().catch(() => {});
      throw new SqlReaderError(`--db.sql-reader-url (${describeUrl(o.readerUrl)}): ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  const provisioned = await provisionReaderRole(o.owner);
  if ('disabled' in provisioned) return provisioned;
  const target: PoolConfig = o.ownerUrl
    ? { connectionString: withCredentials(o.ownerUrl, provisioned.role, provisioned.password) }
    : { ...connectionOf(o.owner), user: provisioned.role, password: provisioned.password };
  const pool = new Pool({ ...target, max: o.max, ...sessionSettings });
  pool.on('error', (err) => o.log.warn({ err: err.message }, 'idle raw SQL connection failed'));
  try {
    return { pool, role: await verifiedRole(pool, o.owner) };
  } catch (err) {
    await pool.end().catch(() => {});
    return { disabled: `the role ${provisioned.role} created for it cannot be used: ${(err as Error).message}` };
  }
}

/** `<database>_sql_reader`, shortened with a hash where PostgreSQL would truncate it (63 bytes). */
export function readerRoleName(database: string): string {
  const name = `${database}_sql_reader`;
  if (Buffer.byteLength(name) <= 63) return name;
  const hash = createHash('sha256').update(database).digest('hex').slice(0, 10);
  return `${Buffer.from(database)
    .subarray(0, 40)
    .toString('utf8')
    .replace(/\uFFFD+$/, '')}_${hash}_sql_reader`;
}

async function provisionReaderRole(owner: Pool): Promise<{ role: string; password: string } | { disabled: string }> {
  const client = await owner.connect();
  try {
    const { rows } = await client.query<{ me: string; db: string; may: boolean }>(
      `SELECT current_user::text AS me, current_database() AS db, rolsuper OR rolcreaterole AS may
         FROM pg_roles WHERE rolname = current_user`,
    );
    const { me, db, may } = rows[0];
    if (!may) {
      return {
        disabled: `the database user ${me} may not create roles, and no --db.sql-reader-url was given`,
      };
    }
    const role = readerRoleName(db);
    const quoted = client.escapeIdentifier(role);
    await client.query('BEGIN');
    try {
      // Replicas starting together take turns.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`timescale-adapter sql reader ${db}`]);
      let password = (
        await client.query<{ password: string }>('SELECT password FROM sql_reader_secret WHERE role = $1', [role])
      ).rows[0]?.password;
      if (!password) {
        password = randomBytes(24).toString('base64url');
        await client.query('INSERT INTO sql_reader_secret (role, password) VALUES ($1, $2)', [role, password]);
      }
      // The verifier, not the password, goes into the statement (statements may be logged).
      const secret = client.escapeLiteral(scramVerifier(password));
      const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount;
      await client.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${quoted} LOGIN NOINHERIT PASSWORD ${secret}`);
      // Whatever it was made a member of (by hand, or an older version's grants), it is not any more.
      const memberships = await client.query<{ name: string }>(
        `SELECT g.rolname AS name FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
           JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = $1`,
        [role],
      );
      for (const { name } of memberships.rows) {
        await client.query(`REVOKE ${client.escapeIdentifier(name)} FROM ${quoted}`);
      }
      // PUBLIC usually has both already; granting them takes the database's or schema's owner.
      const { rows: held } = await client.query<{ connect: boolean; usage: boolean }>(
        `SELECT has_database_privilege($1, current_database(), 'CONNECT') AS connect,
                has_schema_privilege($1, 'public', 'USAGE') AS usage`,
        [role],
      );
      if (!held[0].connect) await client.query(`GRANT CONNECT ON DATABASE ${client.escapeIdentifier(db)} TO ${quoted}`);
      if (!held[0].usage) await client.query(`GRANT USAGE ON SCHEMA public TO ${quoted}`);
      await client.query(`GRANT SELECT ON ${READER_RELATIONS.join(', ')} TO ${quoted}`);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      return { disabled: `creating the role ${role} failed: ${(err as Error).message}` };
    }
    const password = (
      await client.query<{ password: string }>('SELECT password FROM sql_reader_secret WHERE role = $1', [role])
    ).rows[0].password;
    return { role, password };
  } finally {
    client.release();
  }
}

/**
 * Logs in as the reader and checks from both sides that it cannot escape: no attributes, member
 * of no role, not the owner, no write privilege on the adapter's tables. Returns its name.
 */
async function verifiedRole(reader: Pool, owner: Pool): Promise<string> {
  const { rows } = await reader.query<{
    role: string;
    attributes: string[];
    member_of: string[] | null;
  }>(
    `SELECT r.rolname::text AS role,
            array_remove(ARRAY[CASE WHEN r.rolsuper THEN 'SUPERUSER' END, CASE WHEN r.rolcreaterole THEN 'CREATEROLE' END,
                               CASE WHEN r.rolcreatedb THEN 'CREATEDB' END, CASE WHEN r.rolreplication THEN 'REPLICATION' END,
                               CASE WHEN r.rolbypassrls THEN 'BYPASSRLS' END], NULL) AS attributes,
            (SELECT array_agg(g.rolname::text ORDER BY g.rolname) FROM pg_roles g
              WHERE g.oid <> r.oid AND pg_has_role(r.oid, g.oid, 'MEMBER')) AS member_of
       FROM pg_roles r WHERE r.rolname = session_user`,
  );
  const { role, attributes, member_of: memberOf } = rows[0];
  const problems: string[] = [];
  if (attributes.length) problems.push(`has ${attributes.join(', ')}`);
  if (memberOf?.length) problems.push(`is a member of ${memberOf.join(', ')}`);
  const ownerSide = await owner.query<{ me: string; writable: string[] | null }>(
    `SELECT current_user::text AS me,
            (SELECT array_agg(t) FROM unnest($2::text[]) AS t
              WHERE to_regclass(t) IS NOT NULL
                AND has_table_privilege($1, t, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')) AS writable`,
    [role, OWNED_TABLES],
  );
  if (ownerSide.rows[0].me === role) problems.push("is the adapter's own database user");
  if (ownerSide.rows[0].writable?.length) problems.push(`may write ${ownerSide.rows[0].writable.join(', ')}`);
  if (problems.length) {
    throw new SqlReaderError(
      `the raw SQL role ${role} ${problems.join('; ')}: raw SQL could escape it. ` +
        'Give a role with SELECT on label, series, samples, series_labels only (see the README)',
    );
  }
  return role;
}

/** PostgreSQL's SCRAM-SHA-256 verifier (RFC 5802/7677) for a password of printable ASCII. */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** Where the owner pool connects (the embedded cluster: a socket directory), without its user. */
function connectionOf(owner: Pool): PoolConfig {
  const { host, port, database, ssl } = owner.options;
  return { host, port, database, ssl };
}
