// PostgreSQL's binary COPY format for rows of (series_id bigint, time timestamptz, value float8).
// Values are copied as their raw bytes (byte-swapped), so a stale marker's NaN payload reaches
// the table exactly as Prometheus sent it.

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const ROW_BYTES = 2 + (4 + 8) * 3;
/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01). */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_POW_32 = 2 ** 32;

export function copyHeader(): Buffer {
  const header = Buffer.alloc(SIGNATURE.length + 8);
  SIGNATURE.copy(header);
  return header; // flags 0, no header extension
}

export const COPY_TRAILER = Buffer.from([0xff, 0xff]);

/** Encodes rows; `valueAt[i]` is the offset of row i's little-endian double in `values` (-1: zero). */
export function encodeRows(
  seriesIds: ArrayLike<number>,
  times: ArrayLike<number>,
  values: Buffer,
  valueAt: ArrayLike<number>,
  count: number,
): Buffer {
  const out = Buffer.allocUnsafe(count * ROW_BYTES);
  let o = 0;
  for (let i = 0; i < count; i++) {
    out.writeInt16BE(3, o);
    out.writeInt32BE(8, o + 2);
    o = writeInt64(out, o + 6, seriesIds[i]);
    out.writeInt32BE(8, o);
    o = writeInt64(out, o + 4, (times[i] - PG_EPOCH_MS) * 1000);
    out.writeInt32BE(8, o);
    o += 4;
    const at = valueAt[i];
    if (at < 0) out.fill(0, o, o + 8);
    else for (let b = 0; b < 8; b++) out[o + b] = values[at + 7 - b];
    o += 8;
  }
  return out;
}

function writeInt64(out: Buffer, o: number, value: number): number {
  const high = Math.floor(value / TWO_POW_32);
  out.writeInt32BE(high, o);
  out.writeUInt32BE(value - high * TWO_POW_32, o + 4);
  return o + 8;
}
