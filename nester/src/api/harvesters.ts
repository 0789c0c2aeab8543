// Fleet inventory: list, show, revoke. Presence comes from the live control channels of this
// process, so a harvester is online the moment it connects, not after the next database flush.

import { HttpError } from '@nester/common/http/http-error';
import type { RouteContext } from '../http/router';
import { sendJson } from '../http/respond';
import { requireGrafanaUser } from '../auth/identity';
import { recordEvent } from '../store/audit-events';
import { getHarvester, type Harvester, listHarvesters, revokeHarvester } from '../store/harvesters';
import { storableText } from '../text/storable-text';
import type { ApiContext } from './context';

const STATUSES = ['online', 'offline', 'revoked'];

export function listHarvestersRoute(api: ApiContext) {
  return async ({ res, query }: RouteContext): Promise<void> => {
    const status = query.get('status');
    if (status && !STATUSES.includes(status)) throw new HttpError(400, `status must be one of ${STATUSES.join(', ')}`);
    const q = storableText(query.get('q') ?? '', 200) || undefined;
    const all = (await listHarvesters(api.pool, { q })).map((h) => live(api, h));
    sendJson(res, 200, { harvesters: status ? all.filter((h) => h.status === status) : all });
  };
}

export function getHarvesterRoute(api: ApiContext) {
  return async ({ res, params }: RouteContext): Promise<void> => {
    const harvester = await getHarvester(api.pool, params.id);
    if (!harvester) throw new HttpError(404, `no harvester ${params.id}`);
    sendJson(res, 200, live(api, harvester));
  };
}

export function revokeHarvesterRoute(api: ApiContext) {
  return async ({ req, res, params }: RouteContext): Promise<void> => {
    const user = await requireGrafanaUser(req, api.identity);
    const harvester = await revokeHarvester(api.pool, params.id, user);
    if (!harvester) throw new HttpError(404, `no harvester ${params.id}`);
    // Its credential no longer verifies; now close what is already open.
    const sessions = api.broker.endForHarvester(harvester.id, 'harvester revoked', 'admin', 4409);
    api.hub.disconnect(harvester.id, 4409, 'harvester revoked');
    api.log.warn({ harvester: harvester.id, user, sessionsClosed: sessions }, 'harvester revoked');
    await recordEvent(api.pool, {
      event: 'harvester-revoked',
      harvesterId: harvester.id,
      actor: user,
      detail: `${sessions} live sessions closed`,
    });
    sendJson(res, 200, harvester);
  };
}

export function live(api: ApiContext, harvester: Harvester): Harvester {
  if (harvester.status === 'revoked') return harvester;
  return { ...harvester, status: api.hub.isOnline(harvester.id) ? 'online' : 'offline' };
}
