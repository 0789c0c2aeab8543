// `/ws/session`: the browser's side of a session. Origin is checked before the upgrade; the
// first message must be the hello carrying the one-time ticket; then the agent is asked to dial
// in and the browser waits for `ready`. Every refusal is audited (repeats aggregated, see
// audit/refusal-aggregator.ts).

import type { Logger } from '@nester/common/log/logger';
import { messageText } from '@nester/common/net/ws-message';
import { CLOSE } from '@nester/contracts/remote/close-codes';
import { clampTerminalSize, parseMessage } from '@nester/contracts/remote/protocol';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { guarded } from '../server/guard';
import type { RefusalAudit } from '../audit/refusal-audit';
import type { AgentHub } from '../control/agent-hub';
import type { OriginPolicy } from '../http/origin';
import { remoteAddress } from '../http/respond';
import { rejectUpgrade } from '../http/upgrade';
import type { Refusal } from '../store/sessions';
import type { JoinGrant, SessionBroker } from './broker';
import type { RelaySession } from './session';
import { HttpError } from '@nester/common/http/http-error';
import { storableText } from '../text/storable-text';
import { closeReason } from './session';
import { TICKET_FAILURE_TEXT } from './tickets';

export interface BrowserEndpointDeps {
  wss: WebSocketServer;
  origins: OriginPolicy;
  broker: SessionBroker;
  hub: AgentHub;
  refusals: RefusalAudit;
  log: Logger;
  helloTimeoutMs: number;
}

export function browserSessionEndpoint(deps: BrowserEndpointDeps) {
  const { wss, origins, refusals } = deps;
  // The reason names the kind of refusal, except for the Origin, which the client chose.
  const refuse = (refusal: Refusal) =>
    refusals.session(
      refusal,
      refusal.origin && refusal.reason.startsWith('origin ') ? 'origin not allowed' : refusal.reason,
    );

  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const origin = req.headers.origin;
    const where = { remoteAddress: remoteAddress(req), origin: origin ?? null };
    if (!origins.allows(origin)) {
      refuse({ ...where, reason: origin ? `origin ${shortened(origin)} is not allowed` : 'no Origin header' });
      rejectUpgrade(socket, 403, 'this Origin is not allowed to open sessions; add it to nester --web.allowed-origins');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => awaitHello(ws, where, refuse, deps));
  };
}

function awaitHello(
  ws: WebSocket,
  where: { remoteAddress: string | null; origin: string | null },
  refuse: (refusal: Refusal) => void,
  deps: BrowserEndpointDeps,
): void {
  const { broker, hub, helloTimeoutMs } = deps;
  const fail = (code: number, message: string, refusal: Omit<Refusal, 'reason'> = {}) => {
    refuse({ ...where, ...refusal, reason: message });
    ws.close(code, closeReason(message));
  };
  const timer = setTimeout(
    () => fail(CLOSE.protocolError, 'no ticket: send {"type":"hello","ticket":…} first'),
    helloTimeoutMs,
  );
  ws.on('error', () => {});
  const join = (ticket: unknown) => {
    const result = broker.redeemJoin(ticket);
    const grant = result.about;
    // Audited as the joiner's refusal, on the session they asked to watch.
    const context = grant
      ? {
          harvesterId: grant.plan.harvesterId,
          hostname: grant.plan.hostname,
          kind: grant.plan.kind,
          viewOnly: !grant.control,
          user: grant.user,
        }
      : { kind: 'terminal' as const };
    if (!result.ok || !result.session || !grant)
      return fail(
        CLOSE.ticketRefused,
        result.ok
          ? `this ${grant?.plan.kind === 'vnc' ? 'desktop' : 'terminal'} has ended`
          : TICKET_FAILURE_TEXT[result.reason],
        context,
      );
    if (grant.plan.kind === 'vnc') return void joinDesktop(ws, result.session, grant, where, fail, context, deps);
    // Checked again: other sessions or joins of this user may have taken the places since the ticket.
    try {
      broker.checkUserLimit(grant.user);
    } catch (err) {
      return fail(CLOSE.sessionLimit, (err as Error).message, context);
    }
    const joiner = result.session.join(ws, {
      user: grant.user,
      control: grant.control,
      remoteAddress: where.remoteAddress,
    });
    if (!joiner) return fail(CLOSE.sessionLimit, 'this terminal cannot take another joiner now', context);
    broker.joined(result.session, joiner);
  };
  ws.once('close', () => clearTimeout(timer));
  ws.once(
    'message',
    guarded(
      deps.log,
      'a browser hello',
      () => ws.terminate(),
      (data: RawData, binary: boolean) => {
        clearTimeout(timer);
        const hello = binary ? undefined : parseMessage(messageText(data));
        if (hello?.type !== 'hello')
          return fail(CLOSE.protocolError, 'no ticket: the first message must be {"type":"hello","ticket":…}');
        if (broker.isJoinTicket(hello.ticket)) return join(hello.ticket);
        const result = broker.redeem(hello.ticket);
        // From the ticket, not the session: the session may have ended (expired) already.
        const plan = result.about;
        const context = plan
          ? {
              harvesterId: plan.harvesterId,
              hostname: plan.hostname,
              kind: plan.kind,
              viewOnly: plan.viewOnly,
              user: plan.user,
            }
          : {};
        if (result.ok && result.session && result.purpose === 'resume') {
          const session = result.session;
          const size = clampTerminalSize(hello.cols, hello.rows, session.plan);
          const from =
            session.state === 'detached' ? `after "${session.detachedBecause}"` : 'taken over from another window';
          if (!session.resume(ws, size)) return fail(CLOSE.ticketRefused, 'this terminal has ended', context);
          broker.resumed(session, where.remoteAddress, from);
          return;
        }
        if (!result.ok || !result.session || !result.agentToken) {
          return fail(
            CLOSE.ticketRefused,
            result.ok ? TICKET_FAILURE_TEXT.expired : TICKET_FAILURE_TEXT[result.reason],
            context,
          );
        }
        const session = result.session;
        if (session.plan.kind === 'terminal')
          Object.assign(session.plan, clampTerminalSize(hello.cols, hello.rows, session.plan));
        session.attachBrowser(ws);
        broker.connected(session, where.remoteAddress, where.origin);
        const { id, harvesterId, kind, viewOnly, cols, rows } = session.plan;
        const asked = hub.openSession(harvesterId, {
          sessionId: id,
          kind,
          viewOnly,
          cols,
          rows,
          token: result.agentToken,
        });
        if (!asked) session.end('the harvester is offline', 'server', CLOSE.harvesterOffline);
      },
    ),
  );
}

/**
 * A desktop joiner's socket becomes the browser of a view-only session of its own (see
 * broker.openDesktopJoin): the agent is asked to dial in for it as for any desktop session.
 */
async function joinDesktop(
  ws: WebSocket,
  watched: RelaySession,
  grant: JoinGrant,
  where: { remoteAddress: string | null; origin: string | null },
  fail: (code: number, message: string, refusal?: Omit<Refusal, 'reason'>) => void,
  context: Omit<Refusal, 'reason'>,
  deps: BrowserEndpointDeps,
): Promise<void> {
  const { broker, hub } = deps;
  let view: { session: RelaySession; agentToken: string };
  try {
    view = await broker.openDesktopJoin(watched, grant);
  } catch (err) {
    if (err instanceof HttpError && err.status === 429) return fail(CLOSE.sessionLimit, err.message, context);
    deps.log.error({ err: (err as Error).message }, 'could not open a desktop joiner session');
    return fail(CLOSE.internalError, 'could not open the desktop view', context);
  }
  const { session, agentToken } = view;
  if (ws.readyState !== ws.OPEN)
    return session.end('the joiner left before the desktop was ready', 'browser', CLOSE.normal);
  const joiner = watched.watchedBy(ws, {
    user: grant.user,
    control: grant.control,
    remoteAddress: where.remoteAddress,
  });
  if (!joiner) {
    session.end('the watched desktop ended or is full', 'server', CLOSE.sessionLimit);
    return fail(CLOSE.sessionLimit, 'this desktop cannot take another joiner now', context);
  }
  session.attachBrowser(ws);
  broker.connected(session, where.remoteAddress, where.origin);
  broker.joined(watched, joiner);
  const { id, harvesterId, kind, viewOnly, cols, rows } = session.plan;
  if (!hub.openSession(harvesterId, { sessionId: id, kind, viewOnly, cols, rows, token: agentToken }))
    session.end('the harvester is offline', 'server', CLOSE.harvesterOffline);
}

/** An Origin as quoted in a reason: anyone can send one of 15 KB. */
function shortened(origin: string): string {
  const short = storableText(origin, 100, { stripControls: true });
  return short.length < origin.length ? `${short}…` : short;
}
