// Every session this nester knows, from ticket to end: issues tickets after the limit checks,
// redeems them, hands agent sockets to the right session, ends sessions (revocation, expiry,
// shutdown) and writes the audit row when each one ends.

import type { Logger } from '@nester/common/log/logger';
import type { EndedBy, Harvester, LiveSession } from '@nester/contracts/nester/api';
import { CLOSE } from '@nester/contracts/remote/close-codes';
import type { SessionKind } from '@nester/contracts/remote/protocol';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { HttpError } from '@nester/common/http/http-error';
import { hashSecret, newId, newSecret } from '../auth/secrets';
import { recordEvent } from '../store/audit-events';
import { finishSession, insertSession, markConnected } from '../store/sessions';
import type { Joiner } from './joiners';
import { MAX_JOINERS } from './joiners';
import { type JoinWatch, RelaySession, type SessionLimits, type SessionOutcome, type SessionPlan } from './session';
import { END_WORDS, endedByAdmin } from './end-reasons';
import { type Redemption, TicketBook } from './tickets';

/** Resume tickets start with this; open tickets with their session id (`s_…`). */
const RESUME_TICKET_PREFIX = 'r';
/** Join tickets start with this. */
const JOIN_TICKET_PREFIX = 'j';

/** What a redeemed ticket is for: opening its session, taking a running terminal back, joining one. */
export type Purpose = 'open' | 'resume' | 'join';

/** What a join ticket grants: whose session, to whom, and whether they may type. */
export interface JoinGrant {
  plan: SessionPlan;
  user: string;
  control: boolean;
}

export interface RelayConfig extends SessionLimits {
  ticketTtlMs: number;
  maxSessionsPerHarvester: number;
  maxSessionsPerUser: number;
  /** Where terminal (asciicast) and desktop (RFB) recordings go; null turns recording off. */
  recordingsDir: string | null;
  /** How often both sockets of every session are pinged (default 30 s). */
  pingIntervalMs?: number;
}

export interface SessionRequest {
  harvester: Harvester;
  kind: SessionKind;
  viewOnly: boolean;
  user: string | null;
  cols: number;
  rows: number;
}

/** Who holds a place against the session limits. */
interface Holder {
  harvesterId: string;
  user: string | null;
}

export interface IssuedSession {
  sessionId: string;
  ticket: string;
  expiresAt: Date;
}

export class SessionBroker {
  private readonly sessions = new Map<string, RelaySession>();
  private readonly tickets: TicketBook<SessionPlan>;
  /** Keyed by a ticket id of their own: one session may see several resumes. */
  private readonly resumeTickets: TicketBook<SessionPlan>;
  /** Keyed by a ticket id of their own, like resume tickets. */
  private readonly joinTickets: TicketBook<JoinGrant>;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly settled = new Set<Promise<unknown>>();

  constructor(
    private readonly pool: Pool,
    private readonly config: RelayConfig,
    private readonly log: Logger,
    /** Tells the agent to drop a session it may be opening. */
    private readonly notifyAgent: (harvesterId: string, sessionId: string, reason: string) => void,
  ) {
    this.tickets = new TicketBook<SessionPlan>(config.ticketTtlMs);
    this.resumeTickets = new TicketBook<SessionPlan>(config.ticketTtlMs);
    this.joinTickets = new TicketBook<JoinGrant>(config.ticketTtlMs);
    this.timers.push(setInterval(() => this.expireTickets(), 1000));
    this.timers.push(setInterval(() => this.pingSweep(), config.pingIntervalMs ?? 30_000));
    for (const timer of this.timers) timer.unref();
  }

  async create(request: SessionRequest): Promise<IssuedSession> {
    const { harvester, user } = request;
    const id = newId('s');
    const recordingPath = this.config.recordingsDir
      ? join(this.config.recordingsDir, harvester.id, `${id}${request.kind === 'vnc' ? '.rfbrec' : '.cast'}`)
      : null;
    const { session } = await this.open({
      id,
      harvesterId: harvester.id,
      hostname: harvester.hostname,
      kind: request.kind,
      viewOnly: request.viewOnly,
      user,
      cols: request.cols,
      rows: request.rows,
      recordingPath,
    });
    const { ticket, expiresAt } = this.tickets.issue(id, session.plan);
    return { sessionId: id, ticket, expiresAt };
  }

  /**
   * A desktop joiner's own view-only session of `watched` (its join ticket was just redeemed): a
   * session of its own, so the agent opens one more connection to the VNC server for it and
   * nester's RFB filter drops its input (passes it for a control joiner while the owner allows). It holds a place against the limits like any session
   * (it costs the machine a VNC connection), and ends when `watched` ends.
   */
  async openDesktopJoin(
    watched: RelaySession,
    grant: JoinGrant,
  ): Promise<{ session: RelaySession; agentToken: string }> {
    const { harvesterId, hostname, id, user } = watched.plan;
    const opened = await this.open({
      id: newId('s'),
      harvesterId,
      hostname,
      kind: 'vnc',
      viewOnly: true,
      user: grant.user,
      cols: watched.plan.cols,
      rows: watched.plan.rows,
      recordingPath: null,
      joinOf: { sessionId: id, user, control: grant.control },
    });
    opened.session.inputAllowed = grant.control && watched.controlAllowed;
    return opened;
  }

  /**
   * The owner of a live desktop lets its control joiners use keyboard and pointer, or withdraws
   * that (a desktop's socket carries RFB only, so this comes by the API, not a frame). Each control
   * joiner's view follows at once: its next input message is judged by the new setting.
   */
  allowDesktopControl(sessionId: string, user: string, allow: boolean): void {
    const session = this.sessions.get(sessionId);
    if (!session || session.plan.kind !== 'vnc' || session.plan.joinOf)
      throw new HttpError(404, `no live desktop session ${sessionId}`);
    if (session.plan.user !== user)
      throw new HttpError(403, `session ${sessionId} is not yours; only its owner can allow control`);
    if (session.plan.viewOnly)
      throw new HttpError(409, `session ${sessionId} is view-only; it has no control to share`);
    if (session.state !== 'live') throw new HttpError(409, `session ${sessionId} is not live`);
    if (session.controlAllowed === allow) return;
    session.controlAllowed = allow;
    for (const view of this.sessions.values())
      if (view.plan.joinOf?.sessionId === sessionId && view.plan.joinOf.control) view.inputAllowed = allow;
    this.joinWatch.controlAllowed(session, allow);
  }

  /** Throws the 429 when `harvester` or `user` already holds as many sessions as allowed. */
  private checkLimits(harvesterId: string, name: string, user: string | null): void {
    const holders: Holder[] = [...[...this.sessions.values()].map((s) => s.plan), ...this.reserved.values()];
    if (holders.filter((p) => p.harvesterId === harvesterId).length >= this.config.maxSessionsPerHarvester) {
      throw new HttpError(429, `${name} already has ${this.config.maxSessionsPerHarvester} sessions; close one first`);
    }
    this.checkUserLimit(user, holders);
  }

  /**
   * Throws the 429 when `user` already holds as many places as allowed: their sessions (a desktop
   * joiner's view is one) and the terminals they watch, which cost nester a copy of the output
   * though the machine nothing more (so they do not count against the harvester's limit).
   */
  checkUserLimit(
    user: string | null,
    holders: Holder[] = [...[...this.sessions.values()].map((s) => s.plan), ...this.reserved.values()],
  ): void {
    if (!user) return;
    let held = holders.filter((p) => p.user === user).length;
    for (const session of this.sessions.values())
      if (session.plan.kind === 'terminal') held += session.joiners.list().filter((j) => j.user === user).length;
    if (held >= this.config.maxSessionsPerUser) {
      throw new HttpError(
        429,
        `${user} already has ${this.config.maxSessionsPerUser} open sessions (watched ones included); close one first`,
      );
    }
  }

  /** Checks the limits, writes the audit row and keeps the session, waiting for its browser. */
  private async open(plan: SessionPlan): Promise<{ session: RelaySession; agentToken: string }> {
    // Check and take the place in one synchronous step: the insert below awaits, and requests
    // arriving meanwhile must see this one counted.
    this.checkLimits(plan.harvesterId, plan.hostname || plan.harvesterId, plan.user);
    this.reserved.set(plan.id, { harvesterId: plan.harvesterId, user: plan.user });
    try {
      await insertSession(this.pool, plan);
      const agentToken = newSecret();
      const session = new RelaySession(
        plan,
        hashSecret(agentToken),
        this.config,
        this.log.child({ session: plan.id }),
        (s, outcome) => this.ended(s, outcome),
        this.joinWatch,
      );
      this.agentTokens.set(plan.id, agentToken);
      this.sessions.set(plan.id, session);
      return { session, agentToken };
    } finally {
      this.reserved.delete(plan.id);
    }
  }

  /** Places taken by requests whose audit row is being written; they count against the limits. */
  private readonly reserved = new Map<string, Holder>();

  /** Agent tokens wait here between ticket issue and redemption (they go out in open-session). */
  private readonly agentTokens = new Map<string, string>();

  /**
   * A fresh one-time ticket that takes a running terminal back. Only its own user may have one;
   * the caller has checked that the request comes from a Grafana user at all.
   */
  resumeTicket(sessionId: string, user: string): IssuedSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new HttpError(404, `no running session ${sessionId}: it has ended (see GET /api/v1/sessions)`);
    if (session.plan.kind !== 'terminal') throw new HttpError(409, 'only terminal sessions can be resumed');
    if (session.plan.user !== user)
      throw new HttpError(
        403,
        `session ${sessionId} belongs to another user; only the user who opened it can resume it`,
      );
    if (!session.resumable)
      throw new HttpError(
        409,
        this.config.resumeWindowMs > 0
          ? `session ${sessionId} is not running yet; wait for it to connect`
          : 'resuming is turned off on this nester (--relay.resume-window=0)',
      );
    const { ticket, expiresAt } = this.resumeTickets.issue(newId(RESUME_TICKET_PREFIX), session.plan);
    return { sessionId, ticket, expiresAt };
  }

  /**
   * A one-time ticket to watch a running terminal (view only), or to type in it too when its
   * owner allows control. The route is the terminal's (Grafana demands the role that opens
   * terminals); the caller has checked that a Grafana user is asking.
   */
  joinTicket(sessionId: string, user: string, control: boolean, kind: SessionKind = 'terminal'): IssuedSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new HttpError(404, `no running session ${sessionId}: it has ended (see GET /api/v1/sessions)`);
    if (session.plan.joinOf)
      throw new HttpError(
        409,
        `session ${sessionId} is someone's view of ${session.plan.joinOf.sessionId}; join that one`,
      );
    if (session.plan.kind !== kind)
      throw new HttpError(
        409,
        `session ${sessionId} is a ${kindWord(session.plan.kind)}; join it at /api/v1/sessions/${session.plan.kind}/${sessionId}/join`,
      );
    if (!session.joinable) throw new HttpError(409, `session ${sessionId} is not running yet; wait for it to connect`);
    if (session.plan.user === user)
      throw new HttpError(
        409,
        kind === 'vnc'
          ? `session ${sessionId} is your own desktop; it cannot be joined by you`
          : `session ${sessionId} is your own; resume it instead of joining it`,
      );
    if (control && (session.plan.viewOnly || !session.controlAllowed))
      throw new HttpError(
        403,
        `${session.plan.user ?? 'the owner'} has not allowed control of session ${sessionId}; join view-only, or ask them to allow control`,
      );
    if (session.joiners.size >= MAX_JOINERS)
      throw new HttpError(
        429,
        `session ${sessionId} already has ${MAX_JOINERS} people watching; wait for one to leave`,
      );
    // A desktop joiner gets a session of its own: refused now rather than after the hello (where
    // the limits are checked again). A terminal joiner holds a place of the user's.
    if (kind === 'vnc')
      this.checkLimits(session.plan.harvesterId, session.plan.hostname || session.plan.harvesterId, user);
    else this.checkUserLimit(user);
    const grant: JoinGrant = { plan: session.plan, user, control };
    const { ticket, expiresAt } = this.joinTickets.issue(newId(JOIN_TICKET_PREFIX), grant);
    return { sessionId, ticket, expiresAt };
  }

  /** Redeems a join ticket: the grant and the session, if it can still be joined. */
  redeemJoin(ticket: unknown): Redemption<JoinGrant> & { session?: RelaySession } {
    const result = this.joinTickets.redeem(ticket);
    const session = result.about ? this.sessions.get(result.about.plan.id) : undefined;
    if (!result.ok) return { ...result, session };
    if (!session?.joinable)
      return { ok: false, reason: 'expired', sessionId: result.about.plan.id, about: result.about };
    return { ...result, sessionId: session.plan.id, session };
  }

  /** Whether a ticket is a join ticket (its own book, its own checks). */
  isJoinTicket(ticket: unknown): boolean {
    return typeof ticket === 'string' && ticket.startsWith(`${JOIN_TICKET_PREFIX}_`);
  }

  /** Audits a join: who, whose terminal, view-only or with control, from where. */
  joined(session: RelaySession, joiner: Joiner): void {
    const { id, harvesterId, user } = session.plan;
    const how = joiner.control ? 'with control' : 'view-only';
    this.log.info(
      { session: id, harvester: harvesterId, joiner: joiner.user, control: joiner.control },
      `${kindWord(session.plan.kind)} joined`,
    );
    this.track(
      recordEvent(this.pool, {
        event: 'session-joined',
        harvesterId,
        actor: joiner.user,
        remoteAddress: joiner.remoteAddress,
        detail: `${joiner.user ?? 'unknown user'} joined ${kindWord(session.plan.kind)} ${id} of ${user ?? 'unknown user'} ${how}`,
      }),
    );
  }

  /** The session calls these: a joiner left, the owner allowed or withdrew control. */
  private readonly joinWatch: JoinWatch = {
    left: (session, joiner, words) => {
      const { id, harvesterId, user } = session.plan;
      this.log.info({ session: id, joiner: joiner.user, reason: words }, 'joiner left');
      this.track(
        recordEvent(this.pool, {
          event: 'session-left',
          harvesterId,
          actor: joiner.user,
          remoteAddress: joiner.remoteAddress,
          detail: `${joiner.user ?? 'unknown user'} left ${kindWord(session.plan.kind)} ${id} of ${user ?? 'unknown user'} (${joiner.control ? 'with control' : 'view-only'}): ${words}`,
        }),
      );
    },
    controlAllowed: (session, allow) => {
      const { id, harvesterId, user } = session.plan;
      this.track(
        recordEvent(this.pool, {
          event: 'session-control-allowed',
          harvesterId,
          actor: user,
          detail: allow
            ? `${user ?? 'unknown user'} allowed joiners of ${kindWord(session.plan.kind)} ${id} to ${session.plan.kind === 'vnc' ? 'use keyboard and pointer' : 'type'}`
            : `${user ?? 'unknown user'} withdrew control of ${kindWord(session.plan.kind)} ${id} from joiners`,
        }),
      );
    },
  };

  redeem(ticket: unknown): Redemption<SessionPlan> & { session?: RelaySession; agentToken?: string; purpose: Purpose } {
    if (typeof ticket === 'string' && ticket.startsWith(`${RESUME_TICKET_PREFIX}_`)) {
      const result = this.resumeTickets.redeem(ticket);
      const session = result.about ? this.sessions.get(result.about.id) : undefined;
      if (!result.ok) return { ...result, session, purpose: 'resume' };
      if (!session?.resumable)
        return { ok: false, reason: 'expired', sessionId: result.about.id, about: result.about, purpose: 'resume' };
      return { ...result, sessionId: session.plan.id, session, purpose: 'resume' };
    }
    return { ...this.redeemOpen(ticket), purpose: 'open' };
  }

  private redeemOpen(ticket: unknown): Redemption<SessionPlan> & { session?: RelaySession; agentToken?: string } {
    const result = this.tickets.redeem(ticket);
    const session = result.sessionId ? this.sessions.get(result.sessionId) : undefined;
    if (!result.ok) {
      if (result.reason === 'expired' && session?.state === 'ticketed')
        session.end(END_WORDS.ticketUnused, 'server', CLOSE.ticketRefused);
      return { ...result, session };
    }
    if (!session || session.state !== 'ticketed')
      return { ok: false, reason: 'expired', sessionId: result.sessionId, about: result.about };
    const agentToken = this.agentTokens.get(result.sessionId);
    this.agentTokens.delete(result.sessionId);
    return { ...result, session, agentToken };
  }

  get(sessionId: string): RelaySession | undefined {
    return this.sessions.get(sessionId);
  }

  /** Records that the browser is attached (connected time, where from). */
  connected(session: RelaySession, remoteAddress: string | null, origin: string | null): void {
    this.track(markConnected(this.pool, session.plan.id, remoteAddress, origin));
  }

  /** The sessions relayed now, oldest first; of one harvester when given. */
  live(harvesterId?: string): LiveSession[] {
    return (
      [...this.sessions.values()]
        .filter((s) => !harvesterId || s.plan.harvesterId === harvesterId)
        .filter((s) => s.state !== 'ended')
        // A desktop joiner's own session shows as a joiner of the desktop it watches.
        .filter((s) => !s.plan.joinOf)
        .map((s) => ({
          id: s.plan.id,
          harvesterId: s.plan.harvesterId,
          hostname: s.plan.hostname,
          kind: s.plan.kind,
          viewOnly: s.plan.viewOnly,
          user: s.plan.user,
          state: s.state === 'live' || s.state === 'detached' ? s.state : 'connecting',
          startedAt: s.startedAt.toISOString(),
          connectedAt: s.connectedAt?.toISOString() ?? null,
          bytesFromBrowser: s.bytesFromBrowser,
          bytesToBrowser: s.bytesToBrowser,
          detachedBecause: s.state === 'detached' ? (s.detachedBecause ?? null) : null,
          joiners: s.joiners.list(),
          controlAllowed: s.controlAllowed,
        }))
    );
  }

  /**
   * An administrator ends a session: its user is told who and why (close 4403 with the sentence),
   * the audit row says it, and an audit event names the administrator.
   */
  endByAdmin(sessionId: string, admin: string, reason: string, remoteAddress: string | null): LiveSession {
    const session = this.sessions.get(sessionId);
    const live = this.live().find((s) => s.id === sessionId);
    if (!session || !live) throw new HttpError(404, `no live session ${sessionId}; it may have ended already`);
    const words = endedByAdmin(admin, reason);
    session.end(words, 'admin', CLOSE.endedByAdmin);
    this.log.info({ session: sessionId, admin, reason }, 'session ended by an administrator');
    this.track(
      recordEvent(this.pool, {
        event: 'session-ended-by-admin',
        harvesterId: session.plan.harvesterId,
        actor: admin,
        remoteAddress,
        detail: `${words} (session ${sessionId} of ${session.plan.user ?? 'unknown user'}, ${session.plan.kind})`,
      }),
    );
    return live;
  }

  /** Audits a resume: the user, where from, and what it followed. */
  resumed(session: RelaySession, remoteAddress: string | null, from: string): void {
    const { id, harvesterId, user } = session.plan;
    this.log.info({ session: id, harvester: harvesterId, user, from }, 'terminal resumed');
    this.track(
      recordEvent(this.pool, {
        event: 'session-resumed',
        harvesterId,
        actor: user,
        remoteAddress,
        detail: `${user ?? 'unknown user'} resumed terminal ${id} ${from}`,
      }),
    );
  }

  endForHarvester(harvesterId: string, reason: string, endedBy: EndedBy, code: number): number {
    let count = 0;
    for (const session of [...this.sessions.values()]) {
      if (session.plan.harvesterId !== harvesterId) continue;
      session.end(reason, endedBy, code);
      count++;
    }
    return count;
  }

  refusedByAgent(harvesterId: string, sessionId: string, reason: string): void {
    const session = this.sessions.get(sessionId);
    if (session?.plan.harvesterId === harvesterId) session.end(reason, 'agent', CLOSE.agentFailed);
  }

  get size(): number {
    return this.sessions.size;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    for (const session of [...this.sessions.values()]) session.end(END_WORDS.shutdown, 'server', CLOSE.goingAway);
    await Promise.allSettled([...this.settled]);
  }

  private ended(session: RelaySession, outcome: SessionOutcome): void {
    const { id, harvesterId } = session.plan;
    this.sessions.delete(id);
    this.agentTokens.delete(id);
    if (!outcome.connected && session.browser) this.notifyAgent(harvesterId, id, outcome.reason);
    this.log.info(
      {
        session: id,
        harvester: harvesterId,
        kind: session.plan.kind,
        user: session.plan.user,
        reason: outcome.reason,
        endedBy: outcome.endedBy,
        bytesFromBrowser: outcome.bytesFromBrowser,
        bytesToBrowser: outcome.bytesToBrowser,
      },
      'session ended',
    );
    this.track(finishSession(this.pool, id, outcome));
    // The views of people watching this desktop end with it, for the same reason.
    for (const view of [...this.sessions.values()])
      if (view.plan.joinOf?.sessionId === id)
        view.end(`the watched session ended: ${outcome.reason}`, outcome.endedBy, outcome.code);
  }

  private expireTickets(): void {
    for (const id of this.tickets.sweep()) {
      const session = this.sessions.get(id);
      if (session?.state === 'ticketed') session.end(END_WORDS.ticketUnused, 'server', CLOSE.ticketRefused);
    }
    // An unused resume ticket ends nothing: the terminal's own resume window does.
    this.resumeTickets.sweep();
    this.joinTickets.sweep();
  }

  private pingSweep(): void {
    for (const session of [...this.sessions.values()])
      if (session.state === 'live' || session.state === 'detached') session.ping();
  }

  /** Audit writes run in the background; failures are logged, and close() waits for them. */
  private track(work: Promise<unknown>): void {
    const tracked = work.catch((err: Error) =>
      this.log.error({ err: err.message }, 'could not write the session audit row'),
    );
    this.settled.add(tracked);
    void tracked.finally(() => this.settled.delete(tracked));
  }
}

/** How the audit and the refusals name a kind of session. */
function kindWord(kind: SessionKind): string {
  return kind === 'vnc' ? 'desktop' : 'terminal';
}
