// Security events that are not sessions: enrolments (granted or refused), agents refused at
// the door, revocations, token changes. Sessions have their own table (sessions.ts).

import type { AuditEvent as StoredAuditEvent, AuditEventName } from '@nester/contracts/nester/api';
import type { Pool } from 'pg';
import { storableText } from '../text/storable-text';

export interface AuditEvent {
  event: AuditEventName;
  harvesterId?: string | null;
  actor?: string | null;
  remoteAddress?: string | null;
  detail?: string;
}

export async function recordEvent(pool: Pool, e: AuditEvent): Promise<void> {
  // Bounded, storable text: details can carry what an agent or a client sent.
  const text = (value: string | null | undefined, max: number) =>
    value == null ? null : storableText(value, max, { stripControls: true });
  await pool.query(
    `INSERT INTO fleet.audit_events (event, harvester_id, actor, remote_address, detail) VALUES ($1, $2, $3, $4, $5)`,
    [e.event, text(e.harvesterId, 64), text(e.actor, 256), text(e.remoteAddress, 64), text(e.detail, 500) ?? ''],
  );
}

export async function listEvents(
  pool: Pool,
  f: { event?: string; harvesterId?: string; limit: number },
): Promise<StoredAuditEvent[]> {
  // bigserial comes back as a decimal string, timestamptz as a Date.
  const { rows } = await pool.query<{
    id: string;
    at: Date;
    event: AuditEventName;
    harvester_id: string | null;
    actor: string | null;
    remote_address: string | null;
    detail: string;
  }>(
    `SELECT id, at, event, harvester_id, actor, remote_address, detail FROM fleet.audit_events
     WHERE ($1::text IS NULL OR event = $1) AND ($2::text IS NULL OR harvester_id = $2)
     ORDER BY at DESC, id DESC LIMIT $3`,
    [f.event ?? null, f.harvesterId ?? null, f.limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    at: row.at.toISOString(),
    event: row.event,
    harvesterId: row.harvester_id,
    actor: row.actor,
    remoteAddress: row.remote_address,
    detail: row.detail,
  }));
}
