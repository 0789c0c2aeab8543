// One-time session tickets, kept in memory only: `<sessionId>.<secret>`, valid for a short
// time, good for one redemption. The session id finds the entry; the secret is compared
// against its SHA-256 in constant time. Spent tickets are remembered until they would have
// expired anyway, so a replay is reported as a replay and not as an unknown ticket.

import { hashSecret, newSecret, secretMatches, splitToken } from '../auth/secrets';

export type TicketFailure = 'malformed' | 'unknown' | 'wrong' | 'reused' | 'expired';
export type Redemption = { ok: true; sessionId: string } | { ok: false; reason: TicketFailure; sessionId?: string };

interface Entry {
  hash: Buffer;
  expiresAt: number;
  spent: boolean;
  /** Already handed out by sweep() as expired unused. */
  reported: boolean;
}

export const TICKET_FAILURE_TEXT: Record<TicketFailure, string> = {
  malformed: 'ticket missing or malformed',
  unknown: 'unknown ticket',
  wrong: 'wrong ticket',
  reused: 'ticket already used',
  expired: 'ticket expired',
};

export class TicketBook {
  private entries = new Map<string, Entry>();

  constructor(private readonly ttlMs: number) {}

  issue(sessionId: string, now = Date.now()): { ticket: string; expiresAt: Date } {
    const secret = newSecret();
    const expiresAt = now + this.ttlMs;
    this.entries.set(sessionId, { hash: hashSecret(secret), expiresAt, spent: false, reported: false });
    return { ticket: `${sessionId}.${secret}`, expiresAt: new Date(expiresAt) };
  }

  redeem(ticket: unknown, now = Date.now()): Redemption {
    const parts = typeof ticket === 'string' ? splitToken(ticket) : undefined;
    if (!parts) return { ok: false, reason: 'malformed' };
    const entry = this.entries.get(parts.id);
    if (!entry) return { ok: false, reason: 'unknown' };
    const sessionId = parts.id;
    if (!secretMatches(parts.secret, entry.hash)) return { ok: false, reason: 'wrong', sessionId };
    if (entry.spent) return { ok: false, reason: 'reused', sessionId };
    if (now >= entry.expiresAt) return { ok: false, reason: 'expired', sessionId };
    entry.spent = true;
    return { ok: true, sessionId };
  }

  /** Ids of sessions whose ticket expired unused; forgets tickets long past their expiry. */
  sweep(now = Date.now(), keepSpentMs = 5 * 60_000): string[] {
    const expiredUnused: string[] = [];
    for (const [sessionId, entry] of this.entries) {
      if (now >= entry.expiresAt && !entry.spent && !entry.reported) {
        entry.reported = true;
        expiredUnused.push(sessionId);
      }
      if (now >= entry.expiresAt + keepSpentMs) this.entries.delete(sessionId);
    }
    return expiredUnused;
  }

  get size(): number {
    return this.entries.size;
  }
}
