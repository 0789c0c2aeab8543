// Slows down guessing: after `limit` failures from one address within `windowMs`, further
// attempts from it are refused until the window passes. Memory is bounded by pruning.

export class FailureThrottle {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  blocked(key: string, now = Date.now()): boolean {
    const entry = this.failures.get(key);
    return !!entry && entry.resetAt > now && entry.count >= this.limit;
  }

  fail(key: string, now = Date.now()): void {
    if (this.failures.size > 10_000) this.prune(now);
    const entry = this.failures.get(key);
    if (!entry || entry.resetAt <= now) this.failures.set(key, { count: 1, resetAt: now + this.windowMs });
    else entry.count++;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.failures) if (entry.resetAt <= now) this.failures.delete(key);
  }
}
