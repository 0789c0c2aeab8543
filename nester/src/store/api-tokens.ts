// API tokens: the bearer secret Grafana's proxy routes add to every call to /api/v1. Only a
// hash is stored; revoking one takes effect on the next request.

import type { Pool } from 'pg';
import { hashSecret, newId, newSecret, secretMatches, splitToken } from '../auth/secrets';
import { iso } from './enrollment-tokens';

export interface ApiToken {
  id: string;
  description: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A row of fleet.api_tokens as pg returns it (timestamptz as Date). */
interface ApiTokenRow {
  id: string;
  description: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export async function createApiToken(pool: Pool, description = ''): Promise<ApiToken & { token: string }> {
  const id = newId('at');
  const secret = newSecret();
  const { rows } = await pool.query<ApiTokenRow>(
    `INSERT INTO fleet.api_tokens (id, secret_hash, description) VALUES ($1, $2, $3)
     RETURNING id, description, created_at, last_used_at, revoked_at`,
    [id, hashSecret(secret), description],
  );
  return { ...toApiToken(rows[0]), token: `${id}.${secret}` };
}

export async function listApiTokens(pool: Pool): Promise<ApiToken[]> {
  const { rows } = await pool.query<ApiTokenRow>(
    'SELECT id, description, created_at, last_used_at, revoked_at FROM fleet.api_tokens ORDER BY created_at DESC',
  );
  return rows.map(toApiToken);
}

export async function revokeApiToken(pool: Pool, id: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    'UPDATE fleet.api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1',
    [id],
  );
  return rowCount === 1;
}

/** The id of the live API token this bearer secret belongs to, or undefined. */
export async function verifyApiToken(pool: Pool, token: string | undefined): Promise<string | undefined> {
  const parts = splitToken(token);
  if (!parts) return undefined;
  const { rows } = await pool.query<{ secret_hash: Buffer; revoked_at: Date | null }>(
    'SELECT secret_hash, revoked_at FROM fleet.api_tokens WHERE id = $1',
    [parts.id],
  );
  const row = rows[0];
  if (!row || !secretMatches(parts.secret, row.secret_hash) || row.revoked_at) return undefined;
  // Bookkeeping for `nester api-token list`; at most one write a minute per token.
  await pool.query(
    `UPDATE fleet.api_tokens SET last_used_at = now()
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [parts.id],
  );
  return parts.id;
}

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    description: row.description,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}
