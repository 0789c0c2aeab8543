// One-time session tickets, kept in memory only: `<sessionId>.<secret>`, valid for a short
// time, good for one redemption. The session id finds the entry; the secret is compared
// against its SHA-256 in constant time. Spent tickets are remembered until they would have
// expired anyway, so a replay is reported as a replay and not as an unknown ticket. Each ticket
// carries what it was issued for (`about`), so a refusal is attributed even after its session ended.

import { hashSecret, newSecret, secretMatches, splitToken } from '../auth/secrets';

export type TicketFailure = 'malformed' | 'unknown' | 'wrong' | 'reused' | 'expired';
export type Redemption<T> =
  { ok: true; sessionId: string; about: T } | { ok: false; reason: TicketFailure; sessionId?: string; about?: T };

interface Entry<T> {
  about: T;
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

export class TicketBook<T> {
  private entries = new Map<string, Entry<T>>();

  constructor(private readonly ttlMs: number) {}

  issue(sessionId: string, about: T, now = Date.now()): { ticket: string; expiresAt: Date } {
    const secret = newSecret();
    const expiresAt = now + this.ttlMs;
    this.entries.set(sessionId, { about, hash: hashSecret(secret), expiresAt, spent: false, reported: false });
    return { ticket: `${sessionId}.${secret}`, expiresAt: new Date(expiresAt) };
  }

  redeem(ticket: unknown, now = Date.now()): Redemption<T> {
    const parts = typeof ticket === 'string' ? splitToken(ticket) : undefined;
    if (!parts) return { ok: false, reason: 'malformed' };
    const entry = this.entries.get(parts.id);
    if (!entry) return { ok: false, reason: 'unknown' };
    const known = { sessionId: parts.id, about: entry.about };
    if (!secretMatches(parts.secret, entry.hash)) return { ok: false, reason: 'wrong', ...known };
    if (entry.spent) return { ok: false, reason: 'reused', ...known };
    if (now >= entry.expiresAt) return { ok: false, reason: 'expired', ...known };
    entry.spent = true;
    return { ok: true, ...known };
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
