// Enrolment tokens from the Grafana app: create (secret shown once), list, revoke.

import { parseDuration } from '@nester/common/config/units';
import { requireGrafanaUser } from '../auth/identity';
import type { RouteContext } from '../http/router';
import { HttpError, readJson, sendJson } from '../http/respond';
import { recordEvent } from '../store/audit-events';
import { createEnrollmentToken, listEnrollmentTokens, revokeEnrollmentToken } from '../store/enrollment-tokens';
import type { ApiContext } from './context';

export function createEnrollmentTokenRoute(api: ApiContext) {
  return async ({ req, res }: RouteContext): Promise<void> => {
    const user = await requireGrafanaUser(req, api.identity);
    const body = await readJson(req);
    const options = enrollmentTokenOptions(body);
    const token = await createEnrollmentToken(api.pool, { ...options, createdBy: user });
    await recordEvent(api.pool, { event: 'enrollment-token-created', actor: user, detail: token.id });
    sendJson(res, 201, token);
  };
}

export function listEnrollmentTokensRoute(api: ApiContext) {
  return async ({ res }: RouteContext): Promise<void> => {
    sendJson(res, 200, { tokens: await listEnrollmentTokens(api.pool) });
  };
}

export function revokeEnrollmentTokenRoute(api: ApiContext) {
  return async ({ req, res, params }: RouteContext): Promise<void> => {
    const user = await requireGrafanaUser(req, api.identity);
    if (!(await revokeEnrollmentToken(api.pool, params.id)))
      throw new HttpError(404, `no enrolment token ${params.id}`);
    await recordEvent(api.pool, { event: 'enrollment-token-revoked', actor: user, detail: params.id });
    res.writeHead(204).end();
  };
}

export function enrollmentTokenOptions(body: Record<string, unknown>) {
  if (body.description !== undefined && typeof body.description !== 'string')
    throw new HttpError(400, 'description must be a string');
  let ttlMs: number | undefined;
  if (body.ttl !== undefined && body.ttl !== null) {
    try {
      ttlMs = parseDuration(String(body.ttl));
    } catch (err) {
      throw new HttpError(400, `ttl: ${(err as Error).message}`);
    }
  }
  const maxUses = body.maxUses ?? undefined;
  if (maxUses !== undefined && maxUses !== null && (!Number.isInteger(maxUses) || (maxUses as number) < 1)) {
    throw new HttpError(400, 'maxUses must be a positive integer');
  }
  return {
    description: (body.description as string | undefined)?.slice(0, 500),
    ttlMs,
    maxUses: (maxUses as number | null) ?? undefined,
  };
}
