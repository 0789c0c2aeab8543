// GET /api/v1/events: security events that are not sessions (enrolments, refused agents,
// revocations, token changes), newest first.

import type { AuditEventList, AuditEventListQuery } from '@nester/contracts/nester/api';
import { HttpError } from '@nester/common/http/http-error';
import type { RouteContext } from '../http/router';
import { sendJson } from '../http/respond';
import { listEvents } from '../store/audit-events';
import type { ApiContext } from './context';
import { queryParam } from './unchecked';

export function listEventsRoute(api: ApiContext) {
  return async ({ res, query }: RouteContext): Promise<void> => {
    const param = (name: keyof AuditEventListQuery) => queryParam<AuditEventListQuery>(query, name);
    const limitText = param('limit');
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new HttpError(400, 'limit must be an integer from 1 to 1000');
    const events = await listEvents(api.pool, { event: param('event'), harvesterId: param('harvesterId'), limit });
    sendJson(res, 200, { events } satisfies AuditEventList);
  };
}
