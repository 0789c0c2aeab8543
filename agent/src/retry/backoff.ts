// Retry pacing for everything the agent sends or dials (remote_write, the connection to nester):
// exponential back-off with full jitter, so retries slow down while the peer is away and a fleet
// that lost it at the same moment does not come back in the same second.

export interface BackoffOptions {
  /** The first delay's ceiling; it doubles with each attempt. */
  initialMs: number;
  maxMs: number;
  /** The shortest delay (initialMs / 2 unless given). */
  floorMs?: number;
}

/** Delay before attempt `attempt` (0-based): uniform in [0, min(max, initial·2^attempt)], at least the floor. */
export function backoffDelay(
  attempt: number,
  { initialMs, maxMs, floorMs = initialMs / 2 }: BackoffOptions,
  random = Math.random,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.max(floorMs, Math.floor(random() * ceiling));
}

/**
 * remote_write's pacing: `--push.min-backoff` is both the first delay and every delay's floor;
 * the receiver's Retry-After wins when it asks for longer.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: { minMs: number; maxMs: number },
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next retry; grows with each call until reset(). */
  next(retryAfterMs?: number): number {
    const { minMs, maxMs } = this.options;
    const delay = backoffDelay(this.attempt, { initialMs: minMs, maxMs, floorMs: minMs }, this.random);
    this.attempt = Math.min(this.attempt + 1, 30);
    return retryAfterMs === undefined ? delay : Math.max(retryAfterMs, delay);
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
