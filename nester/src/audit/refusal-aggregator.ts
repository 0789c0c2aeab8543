// Refused attempts come from anyone, so recording each one would let anyone fill the disk (1,000
// refused upgrades with 15 KB Origins wrote 33 MB in 3.4 s). Per key (client address + kind of
// refusal) the first refusal in a window is recorded at once, so the audit still shows each new
// kind of trouble as it starts; its repeats are counted and recorded as one entry when the window
// ends. The table holds at most `maxKeys` keys; past that, refusals fold into one overflow count.

export interface Recorded {
  /** How many refusals this entry stands for. */
  count: number;
  /** True for the entry that sums up a window's repeats. */
  repeated: boolean;
  /** True when the table was full and the refusals came from keys it could not hold. */
  overflow: boolean;
}

export interface AggregatorOptions<T> {
  windowMs: number;
  maxKeys: number;
  /** Writes one entry; the aggregator never waits for it except in close(). */
  record: (refusal: T, how: Recorded) => Promise<void> | void;
}

interface Window<T> {
  endsAt: number;
  repeats: number;
  last: T;
}

export class RefusalAggregator<T> {
  private readonly windows = new Map<string, Window<T>>();
  private overflow?: Window<T>;
  private readonly timer: NodeJS.Timeout;
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly options: AggregatorOptions<T>) {
    this.timer = setInterval(() => this.flush(), Math.max(100, options.windowMs / 4));
    this.timer.unref();
  }

  note(key: string, refusal: T, now = Date.now()): void {
    const open = this.windows.get(key);
    if (open && now < open.endsAt) {
      open.repeats++;
      open.last = refusal;
      return;
    }
    if (open) this.settle(key, open);
    if (this.windows.size >= this.options.maxKeys) this.flush(now);
    if (this.windows.size >= this.options.maxKeys) return this.overflowed(refusal, now);
    this.windows.set(key, { endsAt: now + this.options.windowMs, repeats: 0, last: refusal });
    this.write(refusal, { count: 1, repeated: false, overflow: false });
  }

  /** Records the repeats of every window that has ended. */
  flush(now = Date.now()): void {
    for (const [key, window] of this.windows) if (now >= window.endsAt) this.settle(key, window);
    if (this.overflow && now >= this.overflow.endsAt) this.settleOverflow();
  }

  /** Records every pending count now and waits for the writes (shutdown). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const [key, window] of this.windows) this.settle(key, window);
    if (this.overflow) this.settleOverflow();
    await Promise.allSettled([...this.writes]);
  }

  get size(): number {
    return this.windows.size;
  }

  private overflowed(refusal: T, now: number): void {
    if (this.overflow && now >= this.overflow.endsAt) this.settleOverflow();
    this.overflow ??= { endsAt: now + this.options.windowMs, repeats: 0, last: refusal };
    this.overflow.repeats++;
    this.overflow.last = refusal;
  }

  private settle(key: string, window: Window<T>): void {
    this.windows.delete(key);
    if (window.repeats > 0) this.write(window.last, { count: window.repeats, repeated: true, overflow: false });
  }

  private settleOverflow(): void {
    const { repeats, last } = this.overflow!;
    this.overflow = undefined;
    if (repeats > 0) this.write(last, { count: repeats, repeated: true, overflow: true });
  }

  private write(refusal: T, how: Recorded): void {
    const work = Promise.resolve()
      .then(() => this.options.record(refusal, how))
      .catch(() => {});
    this.writes.add(work);
    void work.finally(() => this.writes.delete(work));
  }
}
