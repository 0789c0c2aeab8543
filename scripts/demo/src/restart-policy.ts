// When a supervised part dies: restart it after a back-off that doubles with each quick failure
// (a run shorter than `quickRunMs`), and give up after `maxQuickFailures` of them in a row, since
// a part that dies on start-up again and again needs a person, not more restarts. A run that
// lasted resets the count.

export interface RestartPolicy {
  quickRunMs: number;
  maxQuickFailures: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  quickRunMs: 10_000,
  maxQuickFailures: 5,
  initialBackoffMs: 500,
  maxBackoffMs: 8_000,
};

export type Decision =
  { action: 'restart'; delayMs: number; quickFailures: number } | { action: 'give up'; quickFailures: number };

/** `quickFailures`: the count before this exit; `ranMs`: how long the run that just ended lasted. */
export function afterExit(policy: RestartPolicy, quickFailures: number, ranMs: number): Decision {
  const count = ranMs < policy.quickRunMs ? quickFailures + 1 : 0;
  if (count >= policy.maxQuickFailures) return { action: 'give up', quickFailures: count };
  const delayMs = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** count);
  return { action: 'restart', delayMs, quickFailures: count };
}
