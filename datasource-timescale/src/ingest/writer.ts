// Stores a decoded batch durably: series ids from the cache (unknown ones resolved in one
// round trip), partitions made if the batch needs new ones, then binary COPY. Group commit:
// at most `writers` transactions run at once, and batches that arrive meanwhile are copied
// together in the next one, so a busy adapter pays one commit for many requests; each
// request is answered only after the transaction holding its rows committed.
// Senders retry whole batches, so a transaction that meets rows already stored is copied again
// through a staging table with ON CONFLICT DO NOTHING: writes are idempotent and the first
// value stored for a (series, time) wins.

import type { Pool, PoolClient } from 'pg';
import type { PartitionManager } from '../storage/partitions';
import type { SeriesStore } from '../storage/series-store';
import { COPY_TRAILER, copyHeader, encodeRows } from './copy-binary';
import { copyIn } from './copy-in';
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
    const { unknown, sampleSeries } = batch;
    if (unknown.length) {
      // Samples of series the cache lacked carry -1 - (their index in `unknown`) until now.
      const ids = await this.series.resolve(unknown);
      for (let i = 0; i < n; i++) if (sampleSeries[i] < 0) sampleSeries[i] = ids[-1 - sampleSeries[i]];
    }
    if (this.partitions) await this.partitions.ensure(batch.sampleTime.subarray(0, n));
    const rows = encodeRows(sampleSeries, batch.sampleTime, batch.body, batch.sampleValueAt, n);

    const duplicates = await new Promise<boolean>((done, fail) => {
      this.queue.push({ rows, count: n, done, fail });
      this.pump();
    });
    return { samples: n, newSeries: unknown.length, duplicates };
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
}

/** One binary COPY of the given row buffers, framed by the format's header and trailer. */
async function copy(client: PoolClient, sql: string, rows: Buffer[]): Promise<void> {
  await copyIn(client, sql, [copyHeader(), ...rows, COPY_TRAILER]);
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
