// Fleet inventory: list, show, revoke, label, delete. Presence comes from the live control channels of this
// process, so a harvester is online the moment it connects, not after the next database flush.

import type { Harvester, HarvesterList, LabelsRequest } from '@nester/contracts/nester/api';
import { checkLabels } from '@nester/contracts/metrics/identity';
import { CLOSE } from '@nester/contracts/remote/close-codes';
import { HttpError } from '@nester/common/http/http-error';
import type { RouteContext } from '../http/router';
import { readJson, sendJson } from '../http/respond';
import { requireGrafanaUser } from '../auth/identity';
import { recordEvent } from '../store/audit-events';
import { fleetFacets, pageHarvesters } from '../store/harvester-list';
import { deleteRevokedHarvester, getHarvester, revokeHarvester, setOperatorLabels } from '../store/harvesters';
import type { ApiContext } from './context';
import { parseHarvesterListParams } from './harvester-list-params';
import { storableText } from '../text/storable-text';
import type { Unchecked } from './unchecked';

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

/** POST /api/v1/harvesters/:id/labels (Admin): stored, then sent to the agent if it is connected. */
export function setLabelsRoute(api: ApiContext) {
  return async ({ req, res, params }: RouteContext): Promise<void> => {
    const user = await requireGrafanaUser(req, api.identity);
    const body: Unchecked<LabelsRequest> = await readJson(req);
    const checked = checkLabels(body.labels);
    if (!checked.ok) throw new HttpError(400, `${checked.error}; send {"labels": {"name": "value", …}}`);
    const harvester = await setOperatorLabels(api.pool, params.id, checked.labels);
    if (!harvester) throw new HttpError(404, `no live harvester ${params.id} (unknown or revoked)`);
    const delivered = api.hub.sendLabels(harvester.id, checked.labels);
    await recordEvent(api.pool, {
      event: 'harvester-labels-set',
      harvesterId: harvester.id,
      actor: user,
      detail: storableText(JSON.stringify(checked.labels), 2000),
    });
    api.log.info({ harvester: harvester.id, user, delivered }, 'labels set');
    sendJson(res, 200, live(api, harvester) satisfies Harvester);
  };
}

/** DELETE /api/v1/harvesters/:id (Admin): only revoked ones; their sessions and audit events stay. */
export function deleteHarvesterRoute(api: ApiContext) {
  return async ({ req, res, params }: RouteContext): Promise<void> => {
    const user = await requireGrafanaUser(req, api.identity);
    const harvester = await getHarvester(api.pool, params.id);
    if (!harvester) throw new HttpError(404, `no harvester ${params.id}`);
    if (harvester.status !== 'revoked')
      throw new HttpError(409, `harvester ${params.id} is not revoked; revoke it first, then delete it`);
    if (!(await deleteRevokedHarvester(api.pool, params.id))) throw new HttpError(404, `no harvester ${params.id}`);
    await recordEvent(api.pool, {
      event: 'harvester-deleted',
      harvesterId: harvester.id,
      actor: user,
      detail: harvester.hostname,
    });
    api.log.warn({ harvester: harvester.id, user }, 'harvester deleted');
    res.writeHead(204).end();
  };
}

export function live(api: ApiContext, harvester: Harvester): Harvester {
  if (harvester.status === 'revoked') return harvester;
  return { ...harvester, status: api.hub.isOnline(harvester.id) ? 'online' : 'offline' };
}
