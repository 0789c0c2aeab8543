// Agent presence (online/offline, last seen, latest facts) changes with every connect and
// heartbeat. Writing each one would cost thousands of statements a second for a large fleet, so
// changes are merged in memory and flushed as one UPDATE per interval. One row PostgreSQL refuses
// must not hold up the fleet: a refused batch is split until the bad row is found, and only it is dropped.

import type { Logger } from '@nester/common/log/logger';
import type { Facts } from '@nester/contracts/remote/protocol';
import type { Pool } from 'pg';

interface PendingPresence {
  id: string;
  online?: boolean;
  last_seen: string;
  facts?: Facts;
}

const UPDATE = `UPDATE fleet.harvesters h SET
     last_seen = GREATEST(h.last_seen, u.last_seen),
     online = COALESCE(u.online, h.online),
     facts = COALESCE(u.facts, h.facts),
     hostname = COALESCE(u.facts->>'hostname', h.hostname),
     machine_id = COALESCE(u.facts->>'machineId', h.machine_id),
     labels = COALESCE(u.facts->'labels', h.labels)
   FROM jsonb_to_recordset($1::jsonb) AS u(id text, online boolean, last_seen timestamptz, facts jsonb)
   WHERE h.id = u.id AND h.revoked_at IS NULL`;

export class PresenceWriter {
  private pending = new Map<string, PendingPresence>();
  private timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly log: Logger,
    intervalMs = 1000,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  seen(id: string, change: { online?: boolean; facts?: Facts } = {}): void {
    const entry = this.pending.get(id) ?? { id, last_seen: '' };
    entry.last_seen = new Date().toISOString();
    if (change.online !== undefined) entry.online = change.online;
    if (change.facts) entry.facts = change.facts;
    this.pending.set(id, entry);
  }

  /** Writes what is pending; calls are serialised so an older batch never lands after a newer one. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    await this.writeIsolating(batch);
  }

  /**
   * Writes `entries` in one statement; when PostgreSQL refuses the data, halves the batch until
   * the refused row stands alone, and drops only that row (a few dozen statements for 10,000 rows).
   */
  private async writeIsolating(entries: PendingPresence[]): Promise<void> {
    try {
      await this.update(entries);
    } catch (err) {
      if (!isRefusedData(err)) return this.requeue(entries, err);
      if (entries.length === 1) {
        this.log.error(
          { harvester: entries[0].id, err: (err as Error).message },
          'PostgreSQL refused this agent presence update; dropped it',
        );
        return;
      }
      const half = Math.ceil(entries.length / 2);
      await this.writeIsolating(entries.slice(0, half));
      await this.writeIsolating(entries.slice(half));
    }
  }

  private update(entries: PendingPresence[]): Promise<unknown> {
    return this.pool.query(UPDATE, [JSON.stringify(entries)]);
  }

  /** The database is unreachable or busy: keep the newest state for the next try rather than losing an offline transition. */
  private requeue(entries: PendingPresence[], err: unknown): void {
    for (const entry of entries) if (!this.pending.has(entry.id)) this.pending.set(entry.id, entry);
    this.log.warn(
      { err: (err as Error).message, harvesters: entries.length },
      'could not record agent presence; will retry',
    );
  }
}

/** SQLSTATE classes 22 (data exception) and 23 (constraint violation): retrying the same row cannot help. */
function isRefusedData(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** At start-up no agent is connected to this process yet: whatever the table says is stale. */
export async function markAllOffline(pool: Pool): Promise<number> {
  const { rowCount } = await pool.query('UPDATE fleet.harvesters SET online = false WHERE online');
  return rowCount ?? 0;
}
