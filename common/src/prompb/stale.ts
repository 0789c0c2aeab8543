// Prometheus' stale marker: a NaN with the payload 0x7ff0000000000002, sent when a series
// disappears. JS numbers cannot be trusted to carry NaN payloads (V8 quiets signalling NaNs
// in typed arrays and arithmetic), so the codec carries staleness as a flag and only ever
// touches the raw bytes.

/** The stale marker as the 8 little-endian bytes protobuf puts on the wire. */
export const STALE_NAN_LE = Buffer.from([0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f]);

/** The stale marker as the 8 big-endian bytes PostgreSQL's binary COPY uses for float8. */
export const STALE_NAN_BE = Buffer.from([0x7f, 0xf0, 0, 0, 0, 0, 0, 0x02]);

/** True when the 8 little-endian bytes at `offset` are exactly the stale marker. */
export function isStaleMarkerAt(buf: Uint8Array, offset: number): boolean {
  return (
    buf[offset] === 0x02 &&
    buf[offset + 1] === 0 &&
    buf[offset + 2] === 0 &&
    buf[offset + 3] === 0 &&
    buf[offset + 4] === 0 &&
    buf[offset + 5] === 0 &&
    buf[offset + 6] === 0xf0 &&
    buf[offset + 7] === 0x7f
  );
}
