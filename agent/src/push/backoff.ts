// Retry pacing for remote_write: exponential back-off with full jitter between a floor and a
// ceiling, and the receiver's Retry-After when it gives one (seconds or an HTTP date).

export interface BackoffOptions {
  minMs: number;
  maxMs: number;
}

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next retry; grows with each call until reset(). */
  next(retryAfterMs?: number): number {
    const ceiling = Math.min(this.options.maxMs, this.options.minMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    const jittered = this.options.minMs + this.random() * (ceiling - this.options.minMs);
    return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** Parses a Retry-After header into milliseconds from `now`; undefined if absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
