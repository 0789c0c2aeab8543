// Enrolment tokens from the Grafana app: create (secret shown once), list, revoke.

import { parseDuration } from '@nester/common/config/units';
import type { CreatedEnrollmentToken, EnrollmentTokenList, NewEnrollmentToken } from '@nester/contracts/nester/api';
import { HttpError } from '@nester/common/http/http-error';
import { requireGrafanaUser } from '../auth/identity';
import type { RouteContext } from '../http/router';
import { readJson, sendJson } from '../http/respond';
import { recordEvent } from '../store/audit-events';
import { createEnrollmentToken, listEnrollmentTokens, revokeEnrollmentToken } from '../store/enrollment-tokens';
import { storableText } from '../text/storable-text';
import type { ApiContext } from './context';
import type { Unchecked } from './unchecked';

export function createEnrollmentTokenRoute(api: ApiContext) {
  return async ({ req, res }: RouteContext): Promise<void> => {
    const user = await requireGrafanaUser(req, api.identity);
    const options = enrollmentTokenOptions(await readJson(req));
    const token = await createEnrollmentToken(api.pool, { ...options, createdBy: user });
    await recordEvent(api.pool, { event: 'enrollment-token-created', actor: user, detail: token.id });
    sendJson(res, 201, token satisfies CreatedEnrollmentToken);
  };
}

export function listEnrollmentTokensRoute(api: ApiContext) {
  return async ({ res }: RouteContext): Promise<void> => {
    sendJson(res, 200, { tokens: await listEnrollmentTokens(api.pool) } satisfies EnrollmentTokenList);
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

const MAX_TTL_MS = 10 * 365 * 24 * 3600 * 1000;
const MAX_USES = 1_000_000;

/** The body of POST /api/v1/enrollment-tokens, checked: out-of-range values are a 400, not a database error. */
export function enrollmentTokenOptions(body: Unchecked<NewEnrollmentToken>) {
  if (body.description !== undefined && body.description !== null && typeof body.description !== 'string')
    throw new HttpError(400, 'description must be a string');
  let ttlMs: number | undefined;
  if (body.ttl !== undefined && body.ttl !== null) {
    if (typeof body.ttl !== 'string' && typeof body.ttl !== 'number')
      throw new HttpError(400, 'ttl must be a duration such as "24h" (or a number of seconds)');
    try {
      ttlMs = typeof body.ttl === 'number' ? body.ttl * 1000 : parseDuration(body.ttl);
    } catch (err) {
      throw new HttpError(400, `ttl: ${(err as Error).message}`);
    }
    if (!(ttlMs >= 1000 && ttlMs <= MAX_TTL_MS)) throw new HttpError(400, 'ttl must be between 1s and 10y');
  }
  const maxUses = body.maxUses ?? undefined;
  if (
    maxUses !== undefined &&
    (typeof maxUses !== 'number' || !Number.isInteger(maxUses) || maxUses < 1 || maxUses > MAX_USES)
  )
    throw new HttpError(400, `maxUses must be an integer from 1 to ${MAX_USES} (leave it out for unlimited)`);
  return {
    description: storableText(typeof body.description === 'string' ? body.description : '', 500),
    ttlMs,
    maxUses,
  };
}
