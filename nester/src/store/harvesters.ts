// The fleet inventory: one row per enrolled agent, its credential hash, the facts it last
// reported, and its presence. Presence is owned by this process (see presence.ts).

import type { Harvester } from '@nester/contracts/nester/api';
import type { Facts } from '@nester/contracts/remote/protocol';
import type { Pool, PoolClient } from 'pg';
import { hashSecret, newId, newSecret, secretMatches, splitToken } from '../auth/secrets';
import { consumeEnrollmentToken } from './enrollment-tokens';
import { iso } from './enrollment-tokens';

export const COLUMNS =
  'id, hostname, machine_id, facts, labels, operator_labels, online, last_seen, enrolled_at, revoked_at, replaced_by';

/** A row of COLUMNS as pg returns it (timestamptz as Date, jsonb parsed). */
export interface HarvesterRow {
  id: string;
  hostname: string;
  machine_id: string;
  facts: Partial<Facts>;
  labels: Record<string, string>;
  operator_labels: Record<string, string> | null;
  online: boolean;
  last_seen: Date | null;
  enrolled_at: Date;
  revoked_at: Date | null;
  replaced_by: string | null;
}

export type EnrollResult =
  { ok: true; harvesterId: string; credential: string; replaced: string[] } | { ok: false; reason: string };

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
    const replaced = await replaceEarlierEnrolments(client, harvesterId, facts.machineId);
    await client.query('COMMIT');
    return { ok: true, harvesterId, credential, replaced };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

export type CredentialCheck =
  | { ok: true; harvesterId: string; hostname: string; operatorLabels: Record<string, string> | null }
  | { ok: false; reason: string; harvesterId?: string };

/**
 * A machine enrolled again (same machine id: a re-install, `enroll --force`, a restored disk)
 * is one machine: its earlier live enrolments are marked replaced by the new one, which takes
 * over the labels an operator gave them. Their rows, sessions and audit events stay as history.
 */
async function replaceEarlierEnrolments(client: PoolClient, harvesterId: string, machineId: string): Promise<string[]> {
  if (!machineId) return [];
  const { rows } = await client.query<{
    id: string;
    operator_labels: Record<string, string> | null;
    enrolled_at: Date;
  }>(
    `UPDATE fleet.harvesters SET replaced_by = $1, replaced_at = now()
     WHERE machine_id = $2 AND id <> $1 AND replaced_by IS NULL AND revoked_at IS NULL
     RETURNING id, operator_labels, enrolled_at`,
    [harvesterId, machineId],
  );
  const newestFirst = rows.sort((a, b) => b.enrolled_at.getTime() - a.enrolled_at.getTime());
  const labelled = newestFirst.find((row) => row.operator_labels);
  if (labelled)
    await client.query('UPDATE fleet.harvesters SET operator_labels = $2 WHERE id = $1', [
      harvesterId,
      labelled.operator_labels,
    ]);
  return rows.map((row) => row.id);
}

/** Checks `<harvesterId>.<credential>` from an agent's Authorization header. */
export async function verifyAgentCredential(pool: Pool, bearer: string | undefined): Promise<CredentialCheck> {
  const parts = splitToken(bearer);
  if (!parts) return { ok: false, reason: 'no or malformed agent credential' };
  const { rows } = await pool.query<{
    credential_hash: Buffer;
    revoked_at: Date | null;
    hostname: string;
    operator_labels: Record<string, string> | null;
  }>('SELECT credential_hash, revoked_at, hostname, operator_labels FROM fleet.harvesters WHERE id = $1', [parts.id]);
  const row = rows[0];
  if (!row || !secretMatches(parts.secret, row.credential_hash)) {
    return { ok: false, reason: 'unknown agent credential (not enrolled)', harvesterId: row ? parts.id : undefined };
  }
  if (row.revoked_at) return { ok: false, reason: 'harvester revoked', harvesterId: parts.id };
  return { ok: true, harvesterId: parts.id, hostname: row.hostname, operatorLabels: row.operator_labels };
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

/** Sets the labels an operator chose; undefined when there is no such live harvester. */
export async function setOperatorLabels(
  pool: Pool,
  id: string,
  labels: Record<string, string>,
): Promise<Harvester | undefined> {
  const { rows } = await pool.query<HarvesterRow>(
    `UPDATE fleet.harvesters SET operator_labels = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
    [id, labels],
  );
  return rows[0] ? toHarvester(rows[0]) : undefined;
}

/** Deletes a revoked harvester's row (its sessions and audit events stay); false when not revoked or unknown. */
export async function deleteRevokedHarvester(pool: Pool, id: string): Promise<boolean> {
  const { rowCount } = await pool.query('DELETE FROM fleet.harvesters WHERE id = $1 AND revoked_at IS NOT NULL', [id]);
  return (rowCount ?? 0) > 0;
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
    labels: row.operator_labels ?? row.labels ?? {},
    agentLabels: row.labels ?? {},
    labelsSetByOperator: row.operator_labels !== null,
    replacedBy: row.replaced_by,
    status: row.revoked_at ? 'revoked' : row.online ? 'online' : 'offline',
    lastSeen: iso(row.last_seen),
    enrolledAt: row.enrolled_at.toISOString(),
    revokedAt: iso(row.revoked_at),
  };
}
