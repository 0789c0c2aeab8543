// The session audit trail: a row when a session is requested, completed when it ends (bytes,
// who ended it and why); refused attempts get a row of their own, started and ended at once.

import type { EndedBy, SessionRecord } from '@nester/contracts/nester/api';
import type { SessionKind } from '@nester/contracts/remote/protocol';
import type { Pool } from 'pg';
import { newId } from '../auth/secrets';
import { storableText } from '../text/storable-text';
import { iso } from './enrollment-tokens';

export interface NewSession {
  id: string;
  harvesterId: string;
  hostname: string;
  kind: SessionKind;
  viewOnly: boolean;
  user: string | null;
  recordingPath: string | null;
}

/** A row of fleet.sessions as pg returns it (timestamptz as Date, bigint as a decimal string). */
interface SessionRow {
  id: string;
  harvester_id: string | null;
  hostname: string | null;
  kind: SessionKind | null;
  view_only: boolean;
  user_login: string | null;
  requested_at: Date;
  connected_at: Date | null;
  ended_at: Date | null;
  bytes_from_browser: string;
  bytes_to_browser: string;
  end_reason: string | null;
  ended_by: EndedBy | null;
  end_code: number | null;
  refused: boolean;
  remote_address: string | null;
  origin: string | null;
  recording_path: string | null;
  recording_sha256: string | null;
}

export async function insertSession(pool: Pool, s: NewSession): Promise<void> {
  await pool.query(
    `INSERT INTO fleet.sessions (id, harvester_id, hostname, kind, view_only, user_login, recording_path)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [s.id, s.harvesterId, s.hostname, s.kind, s.viewOnly, s.user, s.recordingPath],
  );
}

export async function markConnected(pool: Pool, id: string, remoteAddress: string | null, origin: string | null) {
  const where = capRefusal({ reason: '', remoteAddress, origin });
  await pool.query('UPDATE fleet.sessions SET connected_at = now(), remote_address = $2, origin = $3 WHERE id = $1', [
    id,
    where.remoteAddress,
    where.origin,
  ]);
}

export interface SessionEnd {
  reason: string;
  endedBy: EndedBy;
  /** The close code the browser was given. */
  code?: number;
  bytesFromBrowser: number;
  bytesToBrowser: number;
  recordingSha256?: string | null;
}

export async function finishSession(pool: Pool, id: string, end: SessionEnd): Promise<void> {
  await pool.query(
    `UPDATE fleet.sessions SET ended_at = now(), end_reason = $2, ended_by = $3,
       bytes_from_browser = $4, bytes_to_browser = $5, recording_sha256 = $6, end_code = $7
     WHERE id = $1 AND ended_at IS NULL`,
    [
      id,
      end.reason,
      end.endedBy,
      end.bytesFromBrowser,
      end.bytesToBrowser,
      end.recordingSha256 ?? null,
      end.code ?? null,
    ],
  );
}

export interface Refusal {
  reason: string;
  harvesterId?: string | null;
  hostname?: string | null;
  kind?: SessionKind | null;
  viewOnly?: boolean;
  user?: string | null;
  remoteAddress?: string | null;
  origin?: string | null;
}

/** Longest stored value of each refusal field: anyone can make nester refuse them. */
const REFUSAL_LIMITS: Record<string, number> = {
  reason: 500,
  remoteAddress: 64,
  origin: 256,
  hostname: 256,
  user: 256,
  harvesterId: 64,
};

/** A refusal's text fields as stored and logged: bounded, without control characters, storable. */
export function capRefusal<R extends { reason: string }>(refusal: R): R {
  const out: Record<string, unknown> = { ...refusal };
  for (const [field, max] of Object.entries(REFUSAL_LIMITS)) {
    const value = out[field];
    if (typeof value === 'string') out[field] = storableText(value, max, { stripControls: true });
  }
  return out as R;
}

export async function recordRefusal(pool: Pool, refusal: Refusal): Promise<string> {
  const r = capRefusal(refusal);
  const id = newId('s');
  await pool.query(
    `INSERT INTO fleet.sessions (id, harvester_id, hostname, kind, view_only, user_login, ended_at, end_reason,
       ended_by, refused, remote_address, origin)
     VALUES ($1, $2, $3, $4, $5, $6, now(), $7, 'server', true, $8, $9)`,
    [
      id,
      r.harvesterId ?? null,
      r.hostname ?? null,
      r.kind ?? null,
      r.viewOnly ?? false,
      r.user ?? null,
      r.reason,
      r.remoteAddress ?? null,
      r.origin ?? null,
    ],
  );
  return id;
}

/** Sessions a previous run left open (crash, kill -9) can no longer be live. */
export async function closeOrphanedSessions(pool: Pool): Promise<number> {
  const { rowCount } = await pool.query(
    `UPDATE fleet.sessions SET ended_at = now(), end_reason = 'nester restarted', ended_by = 'server'
     WHERE ended_at IS NULL`,
  );
  return rowCount ?? 0;
}

export interface SessionFilter {
  harvesterId?: string;
  user?: string;
  kind?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

export async function listSessions(pool: Pool, f: SessionFilter): Promise<SessionRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.harvesterId) add('harvester_id = ?', f.harvesterId);
  if (f.user) add('user_login = ?', f.user);
  if (f.kind) add('kind = ?', f.kind);
  if (f.from) add('requested_at >= ?', f.from);
  if (f.to) add('requested_at < ?', f.to);
  params.push(f.limit);
  const { rows } = await pool.query<SessionRow>(
    `SELECT * FROM fleet.sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY requested_at DESC, id LIMIT $${params.length}`,
    params,
  );
  return rows.map(toRecord);
}

export async function getSession(
  pool: Pool,
  id: string,
): Promise<(SessionRecord & { recordingPath: string | null }) | undefined> {
  const { rows } = await pool.query<SessionRow>('SELECT * FROM fleet.sessions WHERE id = $1', [id]);
  return rows[0] ? { ...toRecord(rows[0]), recordingPath: rows[0].recording_path } : undefined;
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    harvesterId: row.harvester_id,
    hostname: row.hostname,
    kind: row.kind,
    viewOnly: row.view_only,
    user: row.user_login,
    startedAt: row.requested_at.toISOString(),
    connectedAt: iso(row.connected_at),
    endedAt: iso(row.ended_at),
    bytesFromBrowser: Number(row.bytes_from_browser),
    bytesToBrowser: Number(row.bytes_to_browser),
    endReason: row.end_reason,
    endedBy: row.ended_by,
    endCode: row.end_code,
    refused: row.refused,
    remoteAddress: row.remote_address,
    origin: row.origin,
    recording: row.recording_path != null,
    recordingSha256: row.recording_sha256,
  };
}
