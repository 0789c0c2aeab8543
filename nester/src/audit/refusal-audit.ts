// Where refused browser sessions and refused agents are audited and logged: through a
// RefusalAggregator per table, so the first refusal of a kind from an address is written at once
// and its repeats as one row (and one log line) per window, with the count in the reason.

import type { Logger } from '@nester/common/log/logger';
import type { Pool } from 'pg';
import { recordEvent } from '../store/audit-events';
import { capRefusal, recordRefusal, type Refusal } from '../store/sessions';
import { type Recorded, RefusalAggregator } from './refusal-aggregator';

export interface AgentRefusal {
  remoteAddress: string | null;
  harvesterId?: string;
  reason: string;
}

export interface RefusalAuditOptions {
  windowMs: number;
  /** Keys (address + kind) each table keeps; past that, refusals are only counted together. */
  maxKeys?: number;
}

export class RefusalAudit {
  private readonly sessions: RefusalAggregator<Refusal>;
  private readonly agents: RefusalAggregator<AgentRefusal>;

  constructor(pool: Pool, log: Logger, { windowMs, maxKeys = 1000 }: RefusalAuditOptions) {
    const within = windowText(windowMs);
    this.sessions = new RefusalAggregator<Refusal>({
      windowMs,
      maxKeys,
      record: async (refusal, how) => {
        const row = { ...refusal, reason: withCount(refusal.reason, how, within) };
        log.warn({ ...row, ...(how.repeated ? { count: how.count } : {}) }, 'session attempt refused');
        await recordRefusal(pool, row).catch((err: Error) =>
          log.error({ err: err.message }, 'could not audit a refusal'),
        );
      },
    });
    this.agents = new RefusalAggregator<AgentRefusal>({
      windowMs,
      maxKeys,
      record: async (refusal, how) => {
        const detail = withCount(refusal.reason, how, within);
        const { remoteAddress, harvesterId } = refusal;
        log.warn(
          { harvester: harvesterId, remoteAddress, reason: detail, ...(how.repeated ? { count: how.count } : {}) },
          'agent refused',
        );
        await recordEvent(pool, { event: 'agent-refused', harvesterId, remoteAddress, detail }).catch((err: Error) =>
          log.error({ err: err.message }, 'could not audit a refused agent'),
        );
      },
    });
  }

  /** A refused browser session; `kind` names the refusal without attacker-chosen text (not the Origin itself). */
  session(refusal: Refusal, kind: string): void {
    const capped = capRefusal(refusal);
    this.sessions.note(`${capped.remoteAddress ?? 'unknown'}|${kind}`, capped);
  }

  /** An agent refused at the control channel (unknown or revoked credential). */
  agent(refusal: AgentRefusal): void {
    const capped = capRefusal(refusal);
    const key = `${capped.remoteAddress ?? 'unknown'}|${capped.reason}|${capped.harvesterId ?? ''}`;
    this.agents.note(key, { ...refusal, ...capped });
  }

  /** Writes what is still counted (shutdown). */
  async close(): Promise<void> {
    await Promise.all([this.sessions.close(), this.agents.close()]);
  }
}

function withCount(reason: string, how: Recorded, within: string): string {
  if (how.overflow)
    return `${reason} (and ${how.count} more refused attempts within ${within} from too many addresses to count each)`;
  return how.repeated ? `${reason} (repeated ${how.count} more times from this address within ${within})` : reason;
}

function windowText(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}
