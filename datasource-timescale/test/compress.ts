// Compression forced on closed chunks, for the adapter's second test run (on TimescaleDB): a
// fleet's data older than a chunk is compressed by the policy, so that is what queries read. The
// tests call it after writing, so their queries run over compressed chunks. On plain PostgreSQL
// there is nothing to compress: it does nothing and returns 0.

import { ON_TIMESCALEDB } from './backend';

interface Queryable {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * Compresses every chunk of `samples` whose time range has ended (`older_than => now()`) and
 * returns how many chunks are compressed now. On the TimescaleDB run, a samples table that is
 * no hypertable or no compressed chunk afterwards is an error: the test would otherwise go on
 * reading uncompressed data without saying so.
 */
export async function compressClosedChunks(db: Queryable): Promise<number> {
  if (!(await isHypertable(db))) {
    if (ON_TIMESCALEDB) throw new Error('the TimescaleDB run has no samples hypertable to compress');
    return 0;
  }
  await db.query(
    `SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('samples', older_than => now()) AS c`,
  );
  const compressed = await compressedChunks(db);
  if (!compressed) throw new Error('no chunk of samples was compressed: write data older than one chunk');
  return compressed;
}

/** How many chunks of `samples` are compressed (0 on plain PostgreSQL). */
export async function compressedChunks(db: Queryable): Promise<number> {
  if (!(await isHypertable(db))) return 0;
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'samples' AND is_compressed`,
  );
  return rows[0].n;
}

async function isHypertable(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ hypertable: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AND
            EXISTS (SELECT 1 FROM pg_class WHERE relname = 'samples' AND relkind = 'r') AS hypertable`,
  );
  return rows[0].hypertable;
}
