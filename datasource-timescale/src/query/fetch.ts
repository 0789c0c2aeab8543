// Reads raw samples for a set of series and a time range with one binary COPY, parsed here:
// far faster than row objects for the hundreds of thousands of samples a range query reads,
// and stale markers are recognised on the raw bytes. COPY takes no bind parameters, so the
// statement is built only from numbers this code produced (series ids from the database,
// validated integer timestamps), never from request text.

import type { Pool } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

export interface SeriesSamples {
  times: Float64Array;
  values: Float64Array;
  /** 1 where the sample is a stale marker. */
  stale: Uint8Array;
  length: number;
}

export class SampleLimitError extends Error {
  override name = 'SampleLimitError';
}

const PG_EPOCH_MS = 946_684_800_000;
const TWO_POW_32 = 2 ** 32;

/** Bounds of a fetch: the statement is cancelled in PostgreSQL, not only abandoned here. */
export interface FetchLimits {
  /** statement_timeout of the COPY: PostgreSQL cancels it past this (error 57014). */
  timeoutMs?: number;
  /** On abort, the backend's statement is cancelled (pg_cancel_backend). */
  signal?: AbortSignal;
}

/**
 * Set in the read's transaction. Per series and time range an index-only scan in time order is
 * always the right plan; without statistics (fresh partitions) the planner would pick bitmap
 * scans and a sort.
 */
export const FETCH_SETTINGS = ['SET LOCAL enable_bitmapscan = off', 'SET LOCAL enable_sort = off'];

/**
 * One row per series with its samples in [start, end] as two arrays: a few large COPY rows instead
 * of a row per sample (each of which would cost a stream chunk on this side). Each series' id is a
 * plain column of the join, so TimescaleDB finds a compressed chunk's batches of that series
 * through its `series_id` segment index instead of decompressing every series' batches. Only
 * numbers checked by the caller go into the text.
 */
export function samplesSelect(seriesIds: number[], start: number, end: number): string {
  const from = new Date(start).toISOString();
  const to = new Date(end).toISOString();
  return `SELECT s.id, x.times, x.vals
      FROM unnest('{${seriesIds.join(',')}}'::bigint[]) AS s(id)
      CROSS JOIN LATERAL (SELECT array_agg(time) AS times, array_agg(value) AS vals FROM (
        SELECT time, value FROM samples
         WHERE series_id = s.id AND time >= '${from}' AND time <= '${to}' ORDER BY time) AS q) AS x
      WHERE x.times IS NOT NULL`;
}

export async function fetchSamples(
  pool: Pool,
  seriesIds: number[],
  start: number,
  end: number,
  maxSamples: number,
  limits: FetchLimits = {},
): Promise<Map<number, SeriesSamples>> {
  const result = new Map<number, SeriesSamples>();
  if (!seriesIds.length || end < start) return result;
  for (const id of seriesIds) if (!Number.isSafeInteger(id)) throw new Error(`bad series id ${id}`);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) throw new Error('bad time range');
  const sql = `COPY (${samplesSelect(seriesIds, start, end)}) TO STDOUT (FORMAT binary)`;

  const client = await pool.connect();
  // The backend's pid, for pg_cancel_backend from another connection (node-pg has no cancel).
  const pid = (client as unknown as { processID?: number }).processID;
  const cancel = () => {
    if (pid) pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => {});
  };
  limits.signal?.addEventListener('abort', cancel);
  try {
    await client.query('BEGIN READ ONLY');
    for (const setting of FETCH_SETTINGS) await client.query(setting);
    if (limits.timeoutMs !== undefined) {
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.ceil(limits.timeoutMs))}`);
    }
    if (limits.signal?.aborted) throw new Error('fetch aborted');
    const stream = client.query(copyTo(sql));
    const parser = new RowParser(result, maxSamples);
    for await (const chunk of stream) parser.push(chunk as Buffer);
    await client.query('COMMIT');
  } catch (err) {
    client.release(true); // a COPY abandoned half-way leaves the connection unusable
    throw err;
  } finally {
    limits.signal?.removeEventListener('abort', cancel);
  }
  client.release();
  for (const series of result.values()) sortIfNeeded(series);
  return result;
}

/**
 * Parses the binary COPY stream of (bigint, timestamptz[], float8[]) rows. Bytes accumulate in
 * a buffer that grows by doubling, so a series with millions of samples costs linear time.
 */
class RowParser {
  private buf = Buffer.allocUnsafe(1 << 16);
  private start = 0;
  private end = 0;
  private headerDone = false;
  private count = 0;

  constructor(
    private readonly out: Map<number, SeriesSamples>,
    private readonly maxSamples: number,
  ) {}

  push(chunk: Buffer): void {
    this.append(chunk);
    const { buf } = this;
    if (!this.headerDone) {
      if (this.end - this.start < 19) return;
      this.start += 19 + buf.readUInt32BE(this.start + 15);
      this.headerDone = true;
    }
    while (this.end - this.start >= 2) {
      const at = this.start;
      if (buf.readInt16BE(at) === -1) {
        this.start += 2;
        continue;
      }
      // id field, then two arrays; each field is an int32 length and its bytes.
      if (this.end - at < 14) return;
      const timesLen = this.end - at >= 18 ? buf.readInt32BE(at + 14) : -1;
      if (timesLen < 0 || this.end - at < 22 + timesLen) return;
      const valuesAt = at + 18 + timesLen;
      const valuesLen = buf.readInt32BE(valuesAt);
      if (this.end - valuesAt < 4 + valuesLen) return;
      const id = buf.readInt32BE(at + 6) * TWO_POW_32 + buf.readUInt32BE(at + 10);
      this.addSeries(id, at + 18, valuesAt + 4);
      this.start = valuesAt + 4 + valuesLen;
    }
  }

  private append(chunk: Buffer): void {
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start;
      const size = Math.max(this.buf.length, (live + chunk.length) * 2);
      const next = size > this.buf.length ? Buffer.allocUnsafe(size) : this.buf;
      this.buf.copy(next, 0, this.start, this.end);
      this.buf = next;
      this.start = 0;
      this.end = live;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  /** Reads the two one-dimensional arrays (header: ndim, flags, oid, size, lbound; then length+data per element). */
  private addSeries(id: number, timesAt: number, valuesAt: number): void {
    const { buf } = this;
    const n = buf.readInt32BE(timesAt) === 0 ? 0 : buf.readInt32BE(timesAt + 12);
    if ((this.count += n) > this.maxSamples) {
      throw new SampleLimitError(
        `the query reads more than ${this.maxSamples} samples; narrow the time range or the selector`,
      );
    }
    const series: SeriesSamples = {
      times: new Float64Array(n),
      values: new Float64Array(n),
      stale: new Uint8Array(n),
      length: n,
    };
    let t = timesAt + 20;
    let v = valuesAt + 20;
    for (let i = 0; i < n; i++) {
      const micros = buf.readInt32BE(t + 4) * TWO_POW_32 + buf.readUInt32BE(t + 8);
      series.times[i] = Math.round(micros / 1000 + PG_EPOCH_MS);
      const stale = buf.readUInt32BE(v + 4) === 0x7ff00000 && buf.readUInt32BE(v + 8) === 2;
      series.stale[i] = stale ? 1 : 0;
      series.values[i] = stale ? NaN : buf.readDoubleBE(v + 4);
      t += 12;
      v += 12;
    }
    this.out.set(id, series);
  }
}

function sortIfNeeded(series: SeriesSamples): void {
  for (let i = 1; i < series.length; i++) {
    if (series.times[i] < series.times[i - 1]) {
      const order = Array.from({ length: series.length }, (_, k) => k).sort(
        (a, b) => series.times[a] - series.times[b],
      );
      const times = Float64Array.from(order, (k) => series.times[k]);
      const values = Float64Array.from(order, (k) => series.values[k]);
      const stale = Uint8Array.from(order, (k) => series.stale[k]);
      Object.assign(series, { times, values, stale });
      return;
    }
  }
}
