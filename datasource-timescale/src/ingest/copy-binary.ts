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

/**
 * Encodes rows; `valueAt[i]` is the offset of row i's little-endian double in `values` (-1: zero).
 * Through DataViews, whose accessors the JIT compiles to plain loads and stores; the value
 * moves as two 32-bit integers, never as a double, so NaN payloads stay bit-exact.
 */
export function encodeRows(
  seriesIds: ArrayLike<number>,
  times: ArrayLike<number>,
  values: Uint8Array,
  valueAt: ArrayLike<number>,
  count: number,
): Buffer {
  const out = Buffer.allocUnsafe(count * ROW_BYTES);
  const view = new DataView(out.buffer, out.byteOffset, out.length);
  const source = new DataView(values.buffer, values.byteOffset, values.length);
  let o = 0;
  for (let i = 0; i < count; i++) {
    view.setInt16(o, 3);
    view.setInt32(o + 2, 8);
    const id = seriesIds[i];
    const idHigh = Math.floor(id / TWO_POW_32);
    view.setInt32(o + 6, idHigh);
    view.setUint32(o + 10, id - idHigh * TWO_POW_32);
    view.setInt32(o + 14, 8);
    const micros = (times[i] - PG_EPOCH_MS) * 1000;
    const timeHigh = Math.floor(micros / TWO_POW_32);
    view.setInt32(o + 18, timeHigh);
    view.setUint32(o + 22, micros - timeHigh * TWO_POW_32);
    view.setInt32(o + 26, 8);
    const at = valueAt[i];
    if (at < 0) {
      view.setUint32(o + 30, 0);
      view.setUint32(o + 34, 0);
    } else {
      view.setUint32(o + 30, source.getUint32(at + 4, true));
      view.setUint32(o + 34, source.getUint32(at, true));
    }
    o += ROW_BYTES;
  }
  return out;
}
