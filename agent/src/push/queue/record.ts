// One record of the on-disk queue: a ready-to-send remote_write request body (snappy-compressed
// WriteRequest) with what the queue needs to know without decoding it.
//
//   offset 0  u32  payload length
//          4  u32  CRC-32C of bytes 8..end (header rest + payload)
//          8  u32  number of samples in the payload
//         12  f64  timestamp of the oldest sample (ms since epoch)
//         20  ...  payload

import { crc32c } from './crc32c';

export const HEADER_BYTES = 20;
/** Far above any request we build; a larger length can only be corruption. */
export const MAX_PAYLOAD_BYTES = 64 << 20;

export interface QueueRecord {
  samples: number;
  oldestMs: number;
  payload: Buffer;
}

export function encodeRecord({ samples, oldestMs, payload }: QueueRecord): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(samples, 8);
  out.writeDoubleLE(oldestMs, 12);
  payload.copy(out, HEADER_BYTES);
  out.writeUInt32LE(crc32c(out.subarray(8)), 4);
  return out;
}

export type DecodeResult =
  | { kind: 'record'; record: QueueRecord; size: number }
  | { kind: 'end' } // clean end of data
  | { kind: 'torn' } // a partial record at the end: a write cut short by a crash
  | { kind: 'corrupt'; reason: string };

/** Decodes the record at `offset` of a segment's bytes. */
export function decodeRecord(data: Buffer, offset: number): DecodeResult {
  if (offset === data.length) return { kind: 'end' };
  if (data.length - offset < HEADER_BYTES) return { kind: 'torn' };
  const length = data.readUInt32LE(offset);
  if (length > MAX_PAYLOAD_BYTES) return { kind: 'corrupt', reason: `record length ${length} is impossible` };
  const end = offset + HEADER_BYTES + length;
  if (end > data.length) return { kind: 'torn' };
  const expected = data.readUInt32LE(offset + 4);
  if (crc32c(data.subarray(offset + 8, end)) !== expected) return { kind: 'corrupt', reason: 'checksum mismatch' };
  return {
    kind: 'record',
    size: end - offset,
    record: {
      samples: data.readUInt32LE(offset + 8),
      oldestMs: data.readDoubleLE(offset + 12),
      payload: data.subarray(offset + HEADER_BYTES, end),
    },
  };
}
