// The HTTP API of docs/nester-api.md, path by path. Every /api/v1 route but enrolment needs
// the API token (and, with --grafana.jwks-url, a valid X-Grafana-Id); roles are Grafana's business (its proxy routes), which is why actions that need
// different roles sit on different paths.

import type { Health } from '@nester/contracts/nester/api';
import { ENROLL_PATH } from '@nester/contracts/remote/protocol';
import { HttpError } from '@nester/common/http/http-error';
import type { ApiContext } from '../api/context';
import { enrollRoute } from '../api/enroll';
import {
  createEnrollmentTokenRoute,
  listEnrollmentTokensRoute,
  revokeEnrollmentTokenRoute,
} from '../api/enrollment-tokens';
import { listEventsRoute } from '../api/events';
import {
  deleteHarvesterRoute,
  getHarvesterRoute,
  listHarvestersRoute,
  revokeHarvesterRoute,
  setLabelsRoute,
} from '../api/harvesters';
import { recordingRoute } from '../api/recordings';
import { installScriptRoute, releaseFileRoute, releasesInfoRoute } from '../api/releases';
import {
  createSessionRoute,
  endSessionRoute,
  joinSessionRoute,
  allowDesktopControlRoute,
  listSessionsRoute,
  liveSessionsRoute,
  resumeSessionRoute,
} from '../api/sessions';
import { grafanaUser } from '../auth/identity';
import { bearerToken } from '../auth/secrets';
import { sendJson } from '../http/respond';
import { type Handler, Router } from '../http/router';
import { verifyApiToken } from '../store/api-tokens';

export function buildRouter(api: ApiContext): Router {
  const authed =
    (handler: Handler): Handler =>
    async (ctx) => {
      const tokenId = await verifyApiToken(api.pool, bearerToken(ctx.req.headers.authorization));
      if (!tokenId)
        throw new HttpError(
          401,
          'missing or invalid API token: send Authorization: Bearer <token from `nester api-token create`>',
        );
      // With --grafana.jwks-url every call names its user by a verified X-Grafana-Id, reads included.
      if (api.identity.jwks) await grafanaUser(ctx.req, api.identity);
      await handler(ctx);
    };
  return (
    new Router()
      .add('GET', '/healthz', ({ res }) =>
        sendJson(res, 200, { status: 'ok', agents: api.hub.size, sessions: api.broker.size } satisfies Health),
      )
      .add('POST', ENROLL_PATH, enrollRoute(api))
      // What a machine fetches before it has any credential: nothing secret, no token.
      .add('GET', '/install.sh', installScriptRoute(api, api.releases))
      .add('HEAD', '/install.sh', installScriptRoute(api, api.releases))
      .add('GET', '/releases/:file', releaseFileRoute(api.releases))
      .add('HEAD', '/releases/:file', releaseFileRoute(api.releases))
      .add('GET', '/api/v1/releases', authed(releasesInfoRoute(api, api.releases)))
      .add('GET', '/api/v1/harvesters', authed(listHarvestersRoute(api)))
      .add('GET', '/api/v1/harvesters/:id', authed(getHarvesterRoute(api)))
      .add('POST', '/api/v1/harvesters/:id/revoke', authed(revokeHarvesterRoute(api)))
      .add('POST', '/api/v1/harvesters/:id/labels', authed(setLabelsRoute(api)))
      .add('DELETE', '/api/v1/harvesters/:id', authed(deleteHarvesterRoute(api)))
      .add('POST', '/api/v1/sessions/vnc', authed(createSessionRoute(api, 'vnc')))
      .add('POST', '/api/v1/sessions/terminal', authed(createSessionRoute(api, 'terminal')))
      .add('POST', '/api/v1/sessions/terminal/:sessionId/resume', authed(resumeSessionRoute(api)))
      .add('POST', '/api/v1/sessions/terminal/:sessionId/join', authed(joinSessionRoute(api)))
      .add('POST', '/api/v1/sessions/vnc/:sessionId/join', authed(joinSessionRoute(api, 'vnc')))
      .add('POST', '/api/v1/sessions/vnc/:sessionId/allow-control', authed(allowDesktopControlRoute(api)))
      .add('GET', '/api/v1/sessions', authed(listSessionsRoute(api)))
      .add('GET', '/api/v1/sessions/live', authed(liveSessionsRoute(api)))
      .add('POST', '/api/v1/sessions/:sessionId/end', authed(endSessionRoute(api)))
      .add('GET', '/api/v1/recordings/:sessionId', authed(recordingRoute(api)))
      .add('GET', '/api/v1/enrollment-tokens', authed(listEnrollmentTokensRoute(api)))
      .add('POST', '/api/v1/enrollment-tokens', authed(createEnrollmentTokenRoute(api)))
      .add('DELETE', '/api/v1/enrollment-tokens/:id', authed(revokeEnrollmentTokenRoute(api)))
      .add('GET', '/api/v1/events', authed(listEventsRoute(api)))
  );
}
