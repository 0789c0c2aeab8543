// GET /api/v1/events: security events that are not sessions (enrolments, refused agents,
// revocations, token changes), newest first.

import { HttpError } from '@nester/common/http/http-error';
import type { RouteContext } from '../http/router';
import { sendJson } from '../http/respond';
import { listEvents } from '../store/audit-events';
import type { ApiContext } from './context';

export function listEventsRoute(api: ApiContext) {
  return async ({ res, query }: RouteContext): Promise<void> => {
    const limit = query.has('limit') ? Number(query.get('limit')) : 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new HttpError(400, 'limit must be an integer from 1 to 1000');
    const events = await listEvents(api.pool, {
      event: query.get('event') ?? undefined,
      harvesterId: query.get('harvesterId') ?? undefined,
      limit,
    });
    sendJson(res, 200, { events });
  };
}
