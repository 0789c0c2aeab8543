// Pacing of the control connection to nester. A nester that answered a moment ago is most likely
// restarting (an upgrade, a crash, a host reboot), so while the last connection is recent the
// back-off is capped at a few seconds and the agent is back soon after nester is; a nester away
// for longer gets the full back-off so a fleet does not keep knocking on a dead address. Jitter
// stays in both cases: a whole fleet that lost nester together must not return in one second.

import { type BackoffOptions, backoffDelay } from './backoff';

export interface ReconnectPacing {
  /** The back-off when nester has not been reached recently (or ever). */
  backoff: BackoffOptions;
  /** The ceiling while the last connection ended less than `recentMs` ago. */
  recentMaxMs: number;
  recentMs: number;
}

export const DEFAULT_RECONNECT_PACING: ReconnectPacing = {
  backoff: { initialMs: 1000, maxMs: 60_000 },
  recentMaxMs: 5000,
  recentMs: 10 * 60_000,
};

/**
 * The delay before reconnect attempt `attempt` (0-based). `lastConnectedMs` is when the last
 * connection was still up (undefined if there never was one), `nowMs` the current time.
 */
export function reconnectDelay(
  attempt: number,
  lastConnectedMs: number | undefined,
  nowMs: number,
  pacing: ReconnectPacing = DEFAULT_RECONNECT_PACING,
  random = Math.random,
): number {
  const recent = lastConnectedMs !== undefined && nowMs - lastConnectedMs < pacing.recentMs;
  const maxMs = recent ? Math.min(pacing.backoff.maxMs, pacing.recentMaxMs) : pacing.backoff.maxMs;
  return backoffDelay(attempt, { ...pacing.backoff, maxMs }, random);
}
