// Keeps the metric metadata remote_write sends and answers /api/v1/metadata from it.
// Prometheus resends every family's metadata each minute (from every target), so entries seen
// within the last hour are remembered here and cost no round trip; the rest is one upsert,
// idempotent (resent batches and replicas meet ON CONFLICT) and bounded: at most
// MAX_PER_METRIC distinct entries per family are kept, the most recently seen.

import type { Pool } from 'pg';
import type { MetadataEntry, MetadataType } from '../ingest/metadata';

/** Distinct type/unit/help entries kept per metric family (targets running different versions). */
export const MAX_PER_METRIC = 10;
/** How long an entry is trusted as stored before it is written again (its last_seen refreshed). */
const REFRESH_MS = 60 * 60_000;

export interface MetadataQuery {
  /** Only this metric family ('' or undefined: all). */
  metric?: string;
  /** At most this many metric families (negative: no limit), as Prometheus' `limit`. */
  limit: number;
}

export type MetadataAnswer = Record<string, { type: MetadataType; help: string; unit: string }[]>;

export class MetadataStore {
  /** Key -> when it was last written; cleared whole when full (a refresh is harmless). */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly pool: Pool,
    private readonly maxRemembered = 100_000,
  ) {}

  async store(entries: MetadataEntry[], now = Date.now()): Promise<void> {
    const fresh = new Map<string, MetadataEntry>();
    for (const entry of entries) {
      const key = `${entry.metric}\0${entry.type}\0${entry.unit}\0${entry.help}`;
      const at = this.seen.get(key);
      if (at === undefined || now - at > REFRESH_MS) fresh.set(key, entry);
    }
    if (!fresh.size) return;
    // Sorted, so that replicas upserting the same rows take their locks in the same order.
    const rows = [...fresh.values()].sort(
      (a, b) => cmp(a.metric, b.metric) || cmp(a.type, b.type) || cmp(a.unit, b.unit) || cmp(a.help, b.help),
    );
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO metric_metadata AS m (metric_family_name, type, unit, help)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT (metric_family_name, type, unit, md5(help)) DO UPDATE SET last_seen = now()`,
        [rows.map((e) => e.metric), rows.map((e) => e.type), rows.map((e) => e.unit), rows.map((e) => e.help)],
      );
      // Keep the newest MAX_PER_METRIC entries of each family written to.
      await client.query(
        `DELETE FROM metric_metadata d USING (
           SELECT ctid FROM (
             SELECT ctid, row_number() OVER (PARTITION BY metric_family_name ORDER BY last_seen DESC, ctid DESC) AS n
               FROM metric_metadata WHERE metric_family_name = ANY($1::text[])) ranked
            WHERE n > $2) old
          WHERE d.ctid = old.ctid`,
        [[...new Set(rows.map((e) => e.metric))], MAX_PER_METRIC],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
    if (this.seen.size + fresh.size > this.maxRemembered) this.seen.clear();
    for (const key of fresh.keys()) this.seen.set(key, now);
  }

  /** /api/v1/metadata's data: families in name order, each with its entries. */
  async query(q: MetadataQuery): Promise<MetadataAnswer> {
    const answer: MetadataAnswer = {};
    if (q.limit === 0) return answer;
    const { rows } = await this.pool.query<{ metric: string; type: MetadataType; help: string; unit: string }>(
      `SELECT metric_family_name AS metric, type, help, unit FROM metric_metadata
        WHERE ($1::text IS NULL OR metric_family_name = $1)
          AND ($2::int < 0 OR metric_family_name IN (
                SELECT DISTINCT metric_family_name COLLATE "C" FROM metric_metadata
                 WHERE $1::text IS NULL OR metric_family_name = $1 ORDER BY 1 LIMIT $2))
        ORDER BY metric_family_name COLLATE "C", last_seen DESC, type, unit, help`,
      [q.metric || null, q.limit],
    );
    for (const { metric, type, help, unit } of rows) (answer[metric] ??= []).push({ type, help, unit });
    return answer;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
