// Reconnect delays: exponential, capped, with full jitter, so ten thousand agents that lost
// nester at the same moment do not all come back in the same second.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** Delay before attempt `attempt` (0-based): uniform in [0, min(max, initial·2^attempt)], at least initial/2. */
export function backoffDelay(attempt: number, { initialMs, maxMs }: BackoffOptions, random = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.max(initialMs / 2, Math.floor(random() * ceiling));
}
