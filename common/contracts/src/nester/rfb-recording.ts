// The desktop recording format, read by nester (to serve whole records) and the fleet app's
// player: the line `NESTER-RFB-RECORDING 1\n`, one line of ASCII JSON header ({title, timestamp};
// other characters \u-escaped, see asciiJson), then
// records of [u32 BE ms since the start][u32 BE length][that many bytes of the VNC server's RFB
// stream]. A zero-length record marks where the size cap stopped the recording.

export const RFB_RECORDING_MAGIC = 'NESTER-RFB-RECORDING 1\n';
export const RFB_RECORD_HEAD_BYTES = 8;

export interface RfbRecord {
  /** Milliseconds since the recording started. */
  at: number;
  data: Uint8Array;
}

export interface ParsedRfbRecording {
  header: { title?: string; timestamp?: number };
  records: RfbRecord[];
  /** The size cap stopped it. */
  truncated: boolean;
  /** Bytes up to the last whole record (a file cut by a crash ends mid-record). */
  wholeLength: number;
}

/** JSON in ASCII only (the header line is read byte by byte, as Latin-1). */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Parses a recording; throws on a file that is not one. Records share the file's memory. */
export function parseRfbRecording(file: Uint8Array): ParsedRfbRecording {
  const magic = RFB_RECORDING_MAGIC.length;
  if (file.length < magic || String.fromCharCode(...file.subarray(0, magic)) !== RFB_RECORDING_MAGIC)
    throw new Error('not a nester desktop recording');
  const end = file.indexOf(0x0a, magic);
  if (end < 0 || end - magic > 64 * 1024) throw new Error('the recording header is incomplete');
  let text = '';
  for (const byte of file.subarray(magic, end)) text += String.fromCharCode(byte);
  const header = JSON.parse(text) as ParsedRfbRecording['header'];
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const records: RfbRecord[] = [];
  let offset = end + 1;
  while (offset + RFB_RECORD_HEAD_BYTES <= file.length) {
    const at = view.getUint32(offset);
    const length = view.getUint32(offset + 4);
    if (length === 0) return { header, records, truncated: true, wholeLength: offset + RFB_RECORD_HEAD_BYTES };
    const start = offset + RFB_RECORD_HEAD_BYTES;
    if (start + length > file.length) break;
    records.push({ at, data: file.subarray(start, start + length) });
    offset = start + length;
  }
  return { header, records, truncated: false, wholeLength: offset };
}
