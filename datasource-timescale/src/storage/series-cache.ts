// Label set -> series id, in memory. Keys are the raw protobuf bytes of a series' labels, so
// a known series costs one map lookup and no UTF-8 decoding. Eviction is two-generational
// (an approximate LRU without per-hit bookkeeping): when the young map holds `capacity`
// entries it becomes the old one, and hits in the old map are promoted. A working set that
// fits in `capacity` is therefore served from the young map alone, with no writes.

export class SeriesCache {
  private young = new Map<string, number>();
  private old = new Map<string, number>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity: number) {}

  get(key: string): number | undefined {
    const id = this.young.get(key);
    if (id !== undefined) {
      this.hits++;
      return id;
    }
    const aged = this.old.get(key);
    if (aged === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.set(key, aged);
    return aged;
  }

  set(key: string, id: number): void {
    if (this.young.size >= this.capacity) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, id);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}
