// Session requests (one path per kind, so Grafana routes can demand different roles) and the
// audit listing, resuming a terminal, live sessions and ending one as an administrator.

import type {
  JoinRequest,
  AllowControlRequest,
  LiveSession,
  LiveSessionList,
  SessionEndRequest,
  SessionList,
  SessionListQuery,
  SessionRequest,
  SessionTicket,
} from '@nester/contracts/nester/api';
import { BROWSER_SESSION_PATH, clampTerminalSize, type SessionKind } from '@nester/contracts/remote/protocol';
import { HttpError } from '@nester/common/http/http-error';
import { requireGrafanaUser } from '../auth/identity';
import type { RouteContext } from '../http/router';
import { readJson, remoteAddress, sendJson } from '../http/respond';
import { getHarvester } from '../store/harvesters';
import { listSessions, recordRefusal } from '../store/sessions';
import type { ApiContext } from './context';
import { storableText } from '../text/storable-text';
import { queryParam, type Unchecked } from './unchecked';

export function createSessionRoute(api: ApiContext, kind: SessionKind) {
  return async ({ req, res }: RouteContext): Promise<void> => {
    const user = await requireGrafanaUser(req, api.identity);
    const body: Unchecked<SessionRequest> = await readJson(req);
    if (typeof body.harvesterId !== 'string' || !body.harvesterId || body.harvesterId.length > 128)
      throw new HttpError(400, 'harvesterId (a harvester id string, e.g. h_3f9a0c1d2e4b5a69) is required');
    if (body.viewOnly !== undefined && typeof body.viewOnly !== 'boolean')
      throw new HttpError(400, 'viewOnly must be true or false');
    const viewOnly = body.viewOnly === true;
    const harvester = await getHarvester(api.pool, body.harvesterId);
    if (!harvester) throw new HttpError(404, `no harvester ${body.harvesterId}`);

    const refuse = async (status: number, reason: string) => {
      await recordRefusal(api.pool, {
        reason,
        harvesterId: harvester.id,
        hostname: harvester.hostname,
        kind,
        viewOnly,
        user,
      });
      return new HttpError(status, reason);
    };
    const name = harvester.hostname || harvester.id;
    if (harvester.status === 'revoked') throw await refuse(409, `${name} is revoked`);
    if (!api.hub.isOnline(harvester.id)) throw await refuse(409, `${name} is offline`);
    const capabilities = api.hub.capabilities(harvester.id) ?? harvester.capabilities;
    if (!capabilities[kind]) {
      const what =
        kind === 'vnc'
          ? 'remote desktop (no VNC server reachable on it)'
          : 'terminal (disabled in its agent configuration)';
      throw await refuse(409, `${name} does not offer ${what}`);
    }
    const size = clampTerminalSize(body.cols, body.rows);
    const issued = await api.broker.create({ harvester, kind, viewOnly, user, ...size }).catch(async (err) => {
      if (err instanceof HttpError && err.status === 429) throw await refuse(429, err.message);
      throw err;
    });
    api.log.info({ session: issued.sessionId, harvester: harvester.id, kind, viewOnly, user }, 'session ticket issued');
    sendJson(res, 201, {
      sessionId: issued.sessionId,
      ticket: issued.ticket,
      websocketUrl: websocketUrl(api.publicUrl),
      expiresAt: issued.expiresAt.toISOString(),
      kind,
      viewOnly,
    } satisfies SessionTicket);
  };
}

/**
 * POST /api/v1/sessions/terminal/:sessionId/resume: a fresh one-time ticket for a running
 * terminal, for the user who opened it only. Under the terminal path, so Grafana demands the
 * same role as for opening one. A refusal is audited like a refused session request. No body:
 * the terminal's size travels in the socket's hello, as for a new session.
 */
export function resumeSessionRoute(api: ApiContext) {
  return async ({ req, res, params }: RouteContext): Promise<void> => {
    const user = await requireGrafanaUser(req, api.identity);
    const sessionId = params.sessionId;
    let issued;
    try {
      issued = api.broker.resumeTicket(sessionId, user);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      const plan = api.broker.get(sessionId)?.plan;
      await recordRefusal(api.pool, {
        reason: `resume refused: ${err.message}`,
        harvesterId: plan?.harvesterId,
        hostname: plan?.hostname,
        kind: plan?.kind ?? 'terminal',
        viewOnly: plan?.viewOnly,
        user,
        remoteAddress: remoteAddress(req),
      });
      throw err;
    }
    api.log.info({ session: sessionId, user }, 'resume ticket issued');
    const plan = api.broker.get(sessionId)!.plan;
    sendJson(res, 201, {
      sessionId,
      ticket: issued.ticket,
      websocketUrl: websocketUrl(api.publicUrl),
      expiresAt: issued.expiresAt.toISOString(),
      kind: plan.kind,
      viewOnly: plan.viewOnly,
    } satisfies SessionTicket);
  };
}

/**
 * POST /api/v1/sessions/terminal/:sessionId/join with an optional {"control": true}: a one-time
 * ticket to watch another user's running terminal (with control only when its owner allows it).
 * POST /api/v1/sessions/vnc/:sessionId/join: the same for a live desktop (control allowed by the
 * owner through allow-control below).
 * Under each kind's path, so Grafana demands the role that opens that kind. Refusals are audited
 * like refused session requests.
 */
export function joinSessionRoute(api: ApiContext, kind: SessionKind = 'terminal') {
  return async ({ req, res, params }: RouteContext): Promise<void> => {
    const user = await requireGrafanaUser(req, api.identity);
    const body: Unchecked<JoinRequest> = await readJson(req);
    if (body.control !== undefined && typeof body.control !== 'boolean')
      throw new HttpError(400, 'control must be true or false (false, the default, joins view-only)');
    const control = body.control === true;
    const sessionId = params.sessionId;
    let issued;
    try {
      issued = api.broker.joinTicket(sessionId, user, control, kind);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      const plan = api.broker.get(sessionId)?.plan;
      await recordRefusal(api.pool, {
        reason: `join refused: ${err.message}`,
        harvesterId: plan?.harvesterId,
        hostname: plan?.hostname,
        kind: plan?.kind ?? kind,
        viewOnly: !control,
        user,
        remoteAddress: remoteAddress(req),
      });
      throw err;
    }
    api.log.info({ session: sessionId, user, control }, 'join ticket issued');
    sendJson(res, 201, {
      sessionId,
      ticket: issued.ticket,
      websocketUrl: websocketUrl(api.publicUrl),
      expiresAt: issued.expiresAt.toISOString(),
      kind,
      viewOnly: !control,
    } satisfies SessionTicket);
  };
}

/**
 * POST /api/v1/sessions/vnc/:sessionId/allow-control {"allow": true|false}: the desktop's owner
 * lets its control joiners use keyboard and pointer, or withdraws that (audited
 * `session-control-allowed`). A desktop's socket carries RFB only, hence a route, not a frame.
 */
export function allowDesktopControlRoute(api: ApiContext) {
  return async ({ req, res, params }: RouteContext): Promise<void> => {
    const user = await requireGrafanaUser(req, api.identity);
    const body: Unchecked<AllowControlRequest> = await readJson(req);
    if (typeof body.allow !== 'boolean') throw new HttpError(400, 'allow must be true or false');
    api.broker.allowDesktopControl(params.sessionId, user, body.allow);
    api.log.info({ session: params.sessionId, user, allow: body.allow }, 'desktop control allowed');
    res.writeHead(204).end();
  };
}

/** GET /api/v1/sessions/live?harvesterId=: who is connected where now, with live byte counts. */
export function liveSessionsRoute(api: ApiContext) {
  return ({ res, query }: RouteContext): void => {
    const harvesterId = queryParam<{ harvesterId?: string }>(query, 'harvesterId');
    sendJson(res, 200, { sessions: api.broker.live(harvesterId) } satisfies LiveSessionList);
  };
}

const END_REASON_MAX = 200;

/** POST /api/v1/sessions/:sessionId/end (Admin) with an optional {"reason": "…"}. */
export function endSessionRoute(api: ApiContext) {
  return async ({ req, res, params }: RouteContext): Promise<void> => {
    const admin = await requireGrafanaUser(req, api.identity);
    const body: Unchecked<SessionEndRequest> = await readJson(req);
    if (body.reason !== undefined && typeof body.reason !== 'string')
      throw new HttpError(400, 'reason must be a string (up to 200 characters), e.g. "maintenance window"');
    const reason = storableText((body.reason ?? '').trim(), END_REASON_MAX, { stripControls: true });
    const ended = api.broker.endByAdmin(params.sessionId, admin, reason, remoteAddress(req));
    sendJson(res, 200, ended satisfies LiveSession);
  };
}

export function listSessionsRoute(api: ApiContext) {
  return async ({ res, query }: RouteContext): Promise<void> => {
    const param = (name: keyof SessionListQuery) => queryParam<SessionListQuery>(query, name);
    const limitText = param('limit');
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new HttpError(400, 'limit must be an integer from 1 to 1000');
    const kind = param('kind');
    if (kind && kind !== 'vnc' && kind !== 'terminal') throw new HttpError(400, 'kind must be vnc or terminal');
    const sessions = await listSessions(api.pool, {
      harvesterId: param('harvesterId'),
      user: param('user'),
      kind,
      from: time(param('from'), 'from'),
      to: time(param('to'), 'to'),
      limit,
    });
    sendJson(res, 200, { sessions } satisfies SessionList);
  };
}

function time(text: string | undefined, name: string): Date | undefined {
  if (!text) return undefined;
  const date = new Date(text);
  // PostgreSQL's timestamps end long before JavaScript's (year 275760); keep to four-digit years.
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > 9999)
    throw new HttpError(400, `${name} must be an ISO 8601 time from year 1 to 9999, e.g. 2026-11-26T10:00:00Z`);
  return date;
}

export function websocketUrl(publicUrl: string): string {
  const url = new URL(publicUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${BROWSER_SESSION_PATH}`;
  return url.toString();
}
