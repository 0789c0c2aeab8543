// Label set -> series id, in memory. A series is keyed by the raw protobuf bytes of its labels:
// a 52-bit hash of them finds the entry, and a byte comparison confirms it, so a known series
// costs one hash, one map lookup and one memcmp, with no string made. Eviction is
// two-generational (an approximate LRU without per-hit bookkeeping): when the young map holds
// `capacity` entries it becomes the old one, and hits in the old map are promoted. A working
// set that fits in `capacity` is served from the young map alone, with no writes.

/** A label set's raw bytes, `buf[start, end)` (usually a view into a request body), and their hash. */
export interface LabelKey {
  hash: number;
  buf: Uint8Array;
  start: number;
  end: number;
}

interface Entry {
  bytes: Uint8Array;
  id: number;
}

export function labelKey(buf: Uint8Array, start = 0, end = buf.length): LabelKey {
  return { hash: hashBytes(buf, start, end), buf, start, end };
}

/** Byte equality of two keys. */
export function sameKey(a: LabelKey, b: LabelKey): boolean {
  return sameBytes(a.buf, a.start, a.end, b);
}

/** `x[start, end)` equals the key's bytes; a JS loop beats a native call for label sets of ~100 bytes. */
function sameBytes(x: Uint8Array, start: number, end: number, key: LabelKey): boolean {
  const length = end - start;
  if (length !== key.end - key.start) return false;
  const { buf: y, start: j } = key;
  for (let k = 0; k < length; k++) if (x[start + k] !== y[j + k]) return false;
  return true;
}

export class SeriesCache {
  private young = new Map<number, Entry>();
  private old = new Map<number, Entry>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity: number) {}

  get(key: LabelKey): number | undefined {
    const entry = this.young.get(key.hash);
    if (entry !== undefined && sameBytes(entry.bytes, 0, entry.bytes.length, key)) {
      this.hits++;
      return entry.id;
    }
    const aged = this.old.get(key.hash);
    if (aged === undefined || !sameBytes(aged.bytes, 0, aged.bytes.length, key)) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.store(key.hash, aged);
    return aged.id;
  }

  set(key: LabelKey, id: number): void {
    // A copy: keys are views into request bodies, which must not be held.
    this.store(key.hash, { bytes: new Uint8Array(key.buf.subarray(key.start, key.end)), id });
  }

  private store(hash: number, entry: Entry): void {
    if (this.young.size >= this.capacity) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(hash, entry);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}

/** 52 bits of two independent 32-bit hashes (FNV-1a style and a multiplicative mix) over bytes [start, end), a word at a time. */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const word = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
    a = Math.imul(a ^ word, 0x01000193);
    a ^= a >>> 13;
    b = Math.imul(b ^ word, 0x5bd1e995);
    b ^= b >>> 15;
  }
  for (; i < end; i++) {
    a = Math.imul(a ^ buf[i], 0x01000193);
    b = Math.imul(b ^ buf[i], 0x5bd1e995);
  }
  b ^= b >>> 13;
  b = Math.imul(b, 0xc2b2ae35);
  return (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
}
