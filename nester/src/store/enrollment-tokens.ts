// Enrolment tokens: what a new agent presents once to get its own credential. Only a hash of
// the secret is kept; the full token is shown once, at creation.

import type { CreatedEnrollmentToken, EnrollmentToken } from '@nester/contracts/nester/api';
import type { Pool, PoolClient } from 'pg';
import { hashSecret, newId, newSecret, secretMatches, splitToken } from '../auth/secrets';

export interface CreateEnrollmentToken {
  description?: string;
  ttlMs?: number;
  maxUses?: number;
  createdBy?: string;
}

const COLUMNS = `id, description, created_at, created_by, expires_at, max_uses, uses, revoked_at,
  CASE WHEN revoked_at IS NOT NULL THEN 'revoked'
       WHEN expires_at IS NOT NULL AND expires_at <= now() THEN 'expired'
       WHEN max_uses IS NOT NULL AND uses >= max_uses THEN 'used up'
       ELSE 'active' END AS status`;

/** A row of COLUMNS as pg returns it (timestamptz as Date). */
interface EnrollmentTokenRow {
  id: string;
  description: string;
  created_at: Date;
  created_by: string | null;
  expires_at: Date | null;
  max_uses: number | null;
  uses: number;
  revoked_at: Date | null;
  status: EnrollmentToken['status'];
}

export async function createEnrollmentToken(
  pool: Pool,
  options: CreateEnrollmentToken,
): Promise<CreatedEnrollmentToken> {
  const id = newId('et');
  const secret = newSecret();
  const { rows } = await pool.query<EnrollmentTokenRow>(
    `INSERT INTO fleet.enrollment_tokens (id, secret_hash, description, created_by, expires_at, max_uses)
     VALUES ($1, $2, $3, $4, CASE WHEN $5::bigint IS NULL THEN NULL ELSE now() + $5::bigint * interval '1 millisecond' END, $6)
     RETURNING ${COLUMNS}`,
    [
      id,
      hashSecret(secret),
      options.description ?? '',
      options.createdBy ?? null,
      options.ttlMs ?? null,
      options.maxUses ?? null,
    ],
  );
  return { ...toToken(rows[0]), token: `${id}.${secret}` };
}

export async function listEnrollmentTokens(pool: Pool): Promise<EnrollmentToken[]> {
  const { rows } = await pool.query<EnrollmentTokenRow>(
    `SELECT ${COLUMNS} FROM fleet.enrollment_tokens ORDER BY created_at DESC`,
  );
  return rows.map(toToken);
}

/** Revokes a token; false when there is no such token. */
export async function revokeEnrollmentToken(pool: Pool, id: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    'UPDATE fleet.enrollment_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1',
    [id],
  );
  return rowCount === 1;
}

export type ConsumeResult = { ok: true; id: string } | { ok: false; reason: string };

/**
 * Uses one enrolment of a token, inside the caller's transaction: the row is locked, checked in
 * constant time and counted, so two agents racing for the last use cannot both win.
 */
export async function consumeEnrollmentToken(client: PoolClient, token: string): Promise<ConsumeResult> {
  const parts = splitToken(token);
  if (!parts) return { ok: false, reason: 'malformed enrolment token' };
  const { rows } = await client.query<{
    secret_hash: Buffer;
    revoked_at: Date | null;
    expired: boolean | null;
    max_uses: number | null;
    uses: number;
  }>(
    `SELECT secret_hash, revoked_at, expires_at <= now() AS expired, max_uses, uses
     FROM fleet.enrollment_tokens WHERE id = $1 FOR UPDATE`,
    [parts.id],
  );
  const row = rows[0];
  if (!row || !secretMatches(parts.secret, row.secret_hash)) return { ok: false, reason: 'unknown enrolment token' };
  if (row.revoked_at) return { ok: false, reason: 'enrolment token revoked' };
  if (row.expired) return { ok: false, reason: 'enrolment token expired' };
  if (row.max_uses !== null && row.uses >= row.max_uses) return { ok: false, reason: 'enrolment token used up' };
  await client.query('UPDATE fleet.enrollment_tokens SET uses = uses + 1 WHERE id = $1', [parts.id]);
  return { ok: true, id: parts.id };
}

function toToken(row: EnrollmentTokenRow): EnrollmentToken {
  return {
    id: row.id,
    description: row.description,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    expiresAt: iso(row.expires_at),
    maxUses: row.max_uses,
    uses: row.uses,
    revokedAt: iso(row.revoked_at),
    status: row.status,
  };
}

/** A nullable timestamptz column as the API's ISO string. */
export function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}
