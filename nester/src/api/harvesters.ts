// Fleet inventory: list, show, revoke. Presence comes from the live control channels of this
// process, so a harvester is online the moment it connects, not after the next database flush.

import type { Harvester, HarvesterList } from '@nester/contracts/nester/api';
import { CLOSE } from '@nester/contracts/remote/close-codes';
import { HttpError } from '@nester/common/http/http-error';
import type { RouteContext } from '../http/router';
import { sendJson } from '../http/respond';
import { requireGrafanaUser } from '../auth/identity';
import { recordEvent } from '../store/audit-events';
import { fleetFacets, pageHarvesters } from '../store/harvester-list';
import { getHarvester, revokeHarvester } from '../store/harvesters';
import type { ApiContext } from './context';
import { parseHarvesterListParams } from './harvester-list-params';

export function listHarvestersRoute(api: ApiContext) {
  return async ({ res, query }: RouteContext): Promise<void> => {
    const params = parseHarvesterListParams(query);
    const online = api.hub.onlineIds();
    const [page, facets] = await Promise.all([pageHarvesters(api.pool, params, online), fleetFacets(api.pool, online)]);
    sendJson(res, 200, { harvesters: page.harvesters, total: page.total, facets } satisfies HarvesterList);
  };
}

export function getHarvesterRoute(api: ApiContext) {
  return async ({ res, params }: RouteContext): Promise<void> => {
    const harvester = await getHarvester(api.pool, params.id);
    if (!harvester) throw new HttpError(404, `no harvester ${params.id}`);
    sendJson(res, 200, live(api, harvester) satisfies Harvester);
  };
}

export function revokeHarvesterRoute(api: ApiContext) {
  return async ({ req, res, params }: RouteContext): Promise<void> => {
    const user = await requireGrafanaUser(req, api.identity);
    const harvester = await revokeHarvester(api.pool, params.id, user);
    if (!harvester) throw new HttpError(404, `no harvester ${params.id}`);
    // Its credential no longer verifies; now close what is already open.
    const sessions = api.broker.endForHarvester(harvester.id, 'harvester revoked', 'admin', CLOSE.harvesterRevoked);
    api.hub.disconnect(harvester.id, CLOSE.harvesterRevoked, 'harvester revoked');
    api.log.warn({ harvester: harvester.id, user, sessionsClosed: sessions }, 'harvester revoked');
    await recordEvent(api.pool, {
      event: 'harvester-revoked',
      harvesterId: harvester.id,
      actor: user,
      detail: `${sessions} live sessions closed`,
    });
    sendJson(res, 200, harvester satisfies Harvester);
  };
}

export function live(api: ApiContext, harvester: Harvester): Harvester {
  if (harvester.status === 'revoked') return harvester;
  return { ...harvester, status: api.hub.isOnline(harvester.id) ? 'online' : 'offline' };
}
