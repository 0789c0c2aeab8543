// Native range partitions of the samples table (used when TimescaleDB is absent): made on
// demand for the windows a batch touches, ahead of time by the maintenance job, and dropped
// whole once past retention. Bounds live in sample_partitions so replicas agree on them.

import type { Pool } from 'pg';

export interface Window {
  start: number;
  end: number;
}

export class PartitionManager {
  /** Known partitions, sorted by start (ms since the epoch). */
  private known: Window[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly intervalMs: number,
  ) {}

  async load(): Promise<void> {
    const { rows } = await this.pool.query<{ start: string; end: string }>(
      `SELECT (extract(epoch FROM start_time) * 1000)::bigint AS start,
              (extract(epoch FROM end_time) * 1000)::bigint AS end
         FROM sample_partitions ORDER BY start_time`,
    );
    this.known = rows.map((row) => ({ start: Number(row.start), end: Number(row.end) }));
  }

  covers(time: number): boolean {
    return this.find(time) !== undefined;
  }

  private find(time: number): Window | undefined {
    let lo = 0;
    let hi = this.known.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const w = this.known[mid];
      if (time < w.start) hi = mid - 1;
      else if (time >= w.end) lo = mid + 1;
      else return w;
    }
    return undefined;
  }

  /** Makes sure partitions exist for every given timestamp (ms); cheap when they already do. */
  async ensure(times: Iterable<number>): Promise<void> {
    const uncovered = new Map<number, number>(); // aligned window start -> a time in it
    for (const time of times) {
      if (!this.covers(time)) uncovered.set(Math.floor(time / this.intervalMs) * this.intervalMs, time);
    }
    for (const time of [...uncovered.values()].sort((a, b) => a - b)) {
      if (!this.covers(time)) await this.create(time);
    }
  }

  private async create(time: number): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // One creator at a time across replicas; then re-read what the others made meanwhile.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('nester-adapter:partitions'))");
      const { rows } = await client.query<{ start: string; end: string }>(
        `SELECT (extract(epoch FROM start_time) * 1000)::bigint AS start,
                (extract(epoch FROM end_time) * 1000)::bigint AS end FROM sample_partitions`,
      );
      const existing = rows.map((row) => ({ start: Number(row.start), end: Number(row.end) }));
      // The aligned window around `time`, shrunk to the gap between its neighbours (partitions
      // made under an earlier --storage.chunk-interval need not be aligned to this one).
      let start = Math.floor(time / this.intervalMs) * this.intervalMs;
      let end = start + this.intervalMs;
      let covered = false;
      for (const w of existing) {
        if (w.start <= time && time < w.end) covered = true;
        else if (w.end <= time) start = Math.max(start, w.end);
        else end = Math.min(end, w.start);
      }
      if (!covered) {
        const name = partitionName(start);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${client.escapeIdentifier(name)} PARTITION OF samples
             FOR VALUES FROM ('${new Date(start).toISOString()}') TO ('${new Date(end).toISOString()}')`,
        );
        await client.query(
          `INSERT INTO sample_partitions (name, start_time, end_time)
             VALUES ($1, to_timestamp($2::float8 / 1000), to_timestamp($3::float8 / 1000))`,
          [name, start, end],
        );
        existing.push({ start, end });
      }
      await client.query('COMMIT');
      this.known = existing.sort((a, b) => a.start - b.start);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /** Drops partitions whose whole span is older than the cut-off; returns their names. */
  async dropBefore(cutoff: number): Promise<string[]> {
    const client = await this.pool.connect();
    const dropped: string[] = [];
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtext('nester-adapter:partitions'))");
      const { rows } = await client.query<{ name: string }>(
        'SELECT name FROM sample_partitions WHERE end_time <= to_timestamp($1::float8 / 1000) ORDER BY start_time',
        [cutoff],
      );
      for (const { name } of rows) {
        await client.query(`DROP TABLE IF EXISTS ${client.escapeIdentifier(name)}`);
        await client.query('DELETE FROM sample_partitions WHERE name = $1', [name]);
        dropped.push(name);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
    await this.load();
    return dropped;
  }
}

/** samples_20260801t0800: readable, sortable, and made only from a timestamp (no user text). */
export function partitionName(start: number): string {
  const iso = new Date(start).toISOString(); // 2026-08-01T08:00:00.000Z
  return `samples_${iso.slice(0, 16).replace(/[-:]/g, '').toLowerCase()}`;
}
