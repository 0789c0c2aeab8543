// Label set -> series id, in memory. A series is keyed by the raw protobuf bytes of its labels:
// a 52-bit hash of them finds the entry, and a byte comparison confirms it, so a known series
// costs one hash, one map lookup and one memcmp, with no string made. Eviction is
// two-generational (an approximate LRU without per-hit bookkeeping): when the young map holds
// `capacity` entries it becomes the old one, and hits in the old map are promoted. A working
// set that fits in `capacity` is served from the young map alone, with no writes.

export interface LabelKey {
  hash: number;
  bytes: Buffer;
}

interface Entry {
  bytes: Buffer;
  id: number;
}

export class SeriesCache {
  private young = new Map<number, Entry>();
  private old = new Map<number, Entry>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity: number) {}

  get(key: LabelKey): number | undefined {
    const entry = this.young.get(key.hash);
    if (entry !== undefined && entry.bytes.equals(key.bytes)) {
      this.hits++;
      return entry.id;
    }
    const aged = this.old.get(key.hash);
    if (aged === undefined || !aged.bytes.equals(key.bytes)) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.store(key.hash, aged);
    return aged.id;
  }

  set(key: LabelKey, id: number): void {
    this.store(key.hash, { bytes: Buffer.from(key.bytes), id }); // a copy: keys are views into request bodies
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
