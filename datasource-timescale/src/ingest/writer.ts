// Stores a decoded batch durably: series ids from the cache (unknown ones resolved in one
// round trip), partitions made if the batch needs new ones, then binary COPY. Group commit:
// at most `writers` transactions run at once, and batches that arrive meanwhile are copied
// together in the next one, so a busy adapter pays one commit for many requests; each
// request is answered only after the transaction holding its rows committed.
// Senders retry whole batches, so a transaction that meets rows already stored is copied again
// through a staging table with ON CONFLICT DO NOTHING: writes are idempotent and the first
// value stored for a (series, time) wins.

import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PartitionManager } from '../storage/partitions';
import type { NewSeries, SeriesStore } from '../storage/series-store';
import { COPY_TRAILER, copyHeader, encodeRows } from './copy-binary';
import type { DecodedWrite } from './decode';

export interface WriteResult {
  samples: number;
  newSeries: number;
  duplicates: boolean;
}

interface Pending {
  rows: Buffer;
  count: number;
  done: (duplicates: boolean) => void;
  fail: (err: unknown) => void;
}

export class SampleWriter {
  private readonly queue: Pending[] = [];
  private flushing = 0;

  constructor(
    private readonly pool: Pool,
    private readonly series: SeriesStore,
    private readonly partitions: PartitionManager | undefined,
    private readonly writers = 2,
    private readonly maxGroupRows = 200_000,
  ) {}

  async write(batch: DecodedWrite): Promise<WriteResult> {
    const n = batch.sampleCount;
    if (n === 0) return { samples: 0, newSeries: 0, duplicates: false };
    const ids = await this.seriesIds(batch);
    if (this.partitions) await this.partitions.ensure(batch.sampleTime.subarray(0, n));
    const rowSeries = new Float64Array(n);
    for (let i = 0; i < n; i++) rowSeries[i] = ids[batch.sampleSeries[i]];
    const rows = encodeRows(rowSeries, batch.sampleTime, batch.body, batch.sampleValueAt, n);

    const duplicates = await new Promise<boolean>((done, fail) => {
      this.queue.push({ rows, count: n, done, fail });
      this.pump();
    });
    return { samples: n, newSeries: ids.created, duplicates };
  }

  private pump(): void {
    while (this.flushing < this.writers && this.queue.length) {
      const group: Pending[] = [];
      let rows = 0;
      while (this.queue.length && (!group.length || rows + this.queue[0].count <= this.maxGroupRows)) {
        const next = this.queue.shift()!;
        group.push(next);
        rows += next.count;
      }
      this.flushing++;
      this.copyRows(group.map((p) => p.rows))
        .then(
          (duplicates) => group.forEach((p) => p.done(duplicates)),
          (err: unknown) => group.forEach((p) => p.fail(err)),
        )
        .finally(() => {
          this.flushing--;
          this.pump();
        });
    }
  }

  /** One transaction for all the given row buffers; true when it had to skip stored rows. */
  private async copyRows(rows: Buffer[]): Promise<boolean> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      try {
        // A lone COPY is its own transaction: one round trip, committed (durably) when it returns.
        await copy(client, 'COPY samples (series_id, time, value) FROM STDIN (FORMAT binary)', rows);
        return false;
      } catch (err) {
        if ((err as { code?: string }).code !== '23505') throw err;
      }
      await client.query(`CREATE TEMP TABLE IF NOT EXISTS samples_staging
        (series_id bigint, time timestamptz, value double precision) ON COMMIT DELETE ROWS`);
      await copyInTransaction(client, 'COPY samples_staging FROM STDIN (FORMAT binary)', rows, async () => {
        await client.query(
          'INSERT INTO samples SELECT series_id, time, value FROM samples_staging ON CONFLICT DO NOTHING',
        );
      });
      return true;
    } catch (err) {
      broken = isConnectionError(err);
      throw err;
    } finally {
      client.release(broken);
    }
  }

  private async seriesIds(batch: DecodedWrite): Promise<number[] & { created: number }> {
    const ids = new Array<number>(batch.series.length) as number[] & { created: number };
    const unknown: NewSeries[] = [];
    const unknownAt: number[] = [];
    batch.series.forEach((series, i) => {
      if (series.id !== undefined) ids[i] = series.id;
      else {
        unknown.push({ key: series.key, labels: series.labels ?? [] });
        unknownAt.push(i);
      }
    });
    ids.created = unknown.length;
    if (unknown.length) {
      const resolved = await this.series.resolve(unknown);
      resolved.forEach((id, j) => (ids[unknownAt[j]] = id));
    }
    return ids;
  }
}

async function copy(client: PoolClient, sql: string, rows: Buffer[]): Promise<void> {
  const stream = client.query(copyFrom(sql));
  // One buffer, one CopyData message: fewer socket writes than streaming the pieces.
  await pipeline(Readable.from([Buffer.concat([copyHeader(), ...rows, COPY_TRAILER])]), stream);
}

async function copyInTransaction(
  client: PoolClient,
  sql: string,
  rows: Buffer[],
  afterCopy?: () => Promise<void>,
): Promise<void> {
  await client.query('BEGIN');
  try {
    await copy(client, sql, rows);
    if (afterCopy) await afterCopy();
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return !code || code.startsWith('08') || code.startsWith('57P');
}
