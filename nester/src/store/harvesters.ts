// The fleet inventory: one row per enrolled agent, its credential hash, the facts it last
// reported, and its presence. Presence is owned by this process (see presence.ts).

import type { Harvester } from '@nester/contracts/nester/api';
import type { Facts } from '@nester/contracts/remote/protocol';
import type { Pool } from 'pg';
import { hashSecret, newId, newSecret, secretMatches, splitToken } from '../auth/secrets';
import { consumeEnrollmentToken } from './enrollment-tokens';
import { iso } from './enrollment-tokens';

export const COLUMNS = 'id, hostname, machine_id, facts, labels, online, last_seen, enrolled_at, revoked_at';

/** A row of COLUMNS as pg returns it (timestamptz as Date, jsonb parsed). */
export interface HarvesterRow {
  id: string;
  hostname: string;
  machine_id: string;
  facts: Partial<Facts>;
  labels: Record<string, string>;
  online: boolean;
  last_seen: Date | null;
  enrolled_at: Date;
  revoked_at: Date | null;
}

export type EnrollResult = { ok: true; harvesterId: string; credential: string } | { ok: false; reason: string };

/** Exchanges an enrolment token for a new harvester identity, atomically. */
export async function enrollHarvester(pool: Pool, token: string, facts: Facts): Promise<EnrollResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const consumed = await consumeEnrollmentToken(client, token);
    if (!consumed.ok) {
      await client.query('ROLLBACK');
      return consumed;
    }
    const harvesterId = newId('h');
    const credential = newSecret();
    await client.query(
      `INSERT INTO fleet.harvesters (id, credential_hash, hostname, machine_id, facts, labels, enrollment_token_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [harvesterId, hashSecret(credential), facts.hostname, facts.machineId, facts, facts.labels, consumed.id],
    );
    await client.query('COMMIT');
    return { ok: true, harvesterId, credential };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

export type CredentialCheck =
  { ok: true; harvesterId: string; hostname: string } | { ok: false; reason: string; harvesterId?: string };

/** Checks `<harvesterId>.<credential>` from an agent's Authorization header. */
export async function verifyAgentCredential(pool: Pool, bearer: string | undefined): Promise<CredentialCheck> {
  const parts = splitToken(bearer);
  if (!parts) return { ok: false, reason: 'no or malformed agent credential' };
  const { rows } = await pool.query<{ credential_hash: Buffer; revoked_at: Date | null; hostname: string }>(
    'SELECT credential_hash, revoked_at, hostname FROM fleet.harvesters WHERE id = $1',
    [parts.id],
  );
  const row = rows[0];
  if (!row || !secretMatches(parts.secret, row.credential_hash)) {
    return { ok: false, reason: 'unknown agent credential (not enrolled)', harvesterId: row ? parts.id : undefined };
  }
  if (row.revoked_at) return { ok: false, reason: 'harvester revoked', harvesterId: parts.id };
  return { ok: true, harvesterId: parts.id, hostname: row.hostname };
}

export interface ListFilter {
  q?: string;
}

export async function listHarvesters(pool: Pool, filter: ListFilter = {}): Promise<Harvester[]> {
  const params: unknown[] = [];
  let where = '';
  if (filter.q) {
    params.push(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where = `WHERE hostname ILIKE $1 OR id ILIKE $1 OR facts->>'addresses' ILIKE $1`;
  }
  const { rows } = await pool.query<HarvesterRow>(
    `SELECT ${COLUMNS} FROM fleet.harvesters ${where} ORDER BY hostname, id`,
    params,
  );
  return rows.map(toHarvester);
}

export async function getHarvester(pool: Pool, id: string): Promise<Harvester | undefined> {
  const { rows } = await pool.query<HarvesterRow>(`SELECT ${COLUMNS} FROM fleet.harvesters WHERE id = $1`, [id]);
  return rows[0] ? toHarvester(rows[0]) : undefined;
}

/** Marks a harvester revoked; undefined when unknown. Already revoked ones keep their first date. */
export async function revokeHarvester(pool: Pool, id: string, by: string | null): Promise<Harvester | undefined> {
  const { rows } = await pool.query<HarvesterRow>(
    `UPDATE fleet.harvesters SET revoked_at = COALESCE(revoked_at, now()), revoked_by = COALESCE(revoked_by, $2), online = false
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, by],
  );
  return rows[0] ? toHarvester(rows[0]) : undefined;
}

export function toHarvester(row: HarvesterRow): Harvester {
  const facts = row.facts ?? {};
  return {
    id: row.id,
    hostname: row.hostname,
    machineId: row.machine_id,
    os: facts.os ?? { id: '', name: '', version: '', prettyName: '' },
    kernel: facts.kernel ?? '',
    arch: facts.arch ?? '',
    cpus: facts.cpus ?? 0,
    memoryBytes: facts.memoryBytes ?? 0,
    addresses: facts.addresses ?? [],
    agentVersion: facts.agentVersion ?? '',
    capabilities: facts.capabilities ?? { vnc: false, terminal: false },
    labels: row.labels ?? {},
    status: row.revoked_at ? 'revoked' : row.online ? 'online' : 'offline',
    lastSeen: iso(row.last_seen),
    enrolledAt: row.enrolled_at.toISOString(),
    revokedAt: iso(row.revoked_at),
  };
}
