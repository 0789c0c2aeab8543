// POST /api/v1/enroll: an agent trades an enrolment token for its own credential. No API token
// here: the enrolment token is the authentication, so failures are throttled per address.

import type { EnrollRequest, EnrollResponse } from '@nester/contracts/nester/api';
import { HttpError } from '@nester/common/http/http-error';
import type { RouteContext } from '../http/router';
import { readJson, remoteAddress, sendJson } from '../http/respond';
import { sanitizeFacts } from '../control/facts';
import { recordEvent } from '../store/audit-events';
import { enrollHarvester } from '../store/harvesters';
import type { ApiContext } from './context';
import type { Unchecked } from './unchecked';

export function enrollRoute(api: ApiContext) {
  return async ({ req, res }: RouteContext): Promise<void> => {
    const address = remoteAddress(req) ?? 'unknown';
    if (api.enrollThrottle.blocked(address))
      throw new HttpError(429, 'too many failed enrolments from this address; wait a minute');
    const body: Unchecked<EnrollRequest> = await readJson(req);
    if (typeof body.token !== 'string' || !body.token)
      throw new HttpError(400, 'send {"token": "<enrolment token>", "facts": {…}}');
    const facts = sanitizeFacts(body.facts);
    const result = await enrollHarvester(api.pool, body.token, facts);
    if (!result.ok) {
      api.enrollThrottle.fail(address);
      api.log.warn({ remoteAddress: address, reason: result.reason, hostname: facts.hostname }, 'enrolment refused');
      await recordEvent(api.pool, {
        event: 'enrollment-refused',
        remoteAddress: address,
        detail: `${result.reason} (host ${facts.hostname || 'unnamed'})`,
      });
      throw new HttpError(401, `${result.reason}: create a new one with \`nester token create\``);
    }
    api.log.info(
      { harvester: result.harvesterId, hostname: facts.hostname, remoteAddress: address },
      'harvester enrolled',
    );
    await recordEvent(api.pool, {
      event: 'enrolled',
      harvesterId: result.harvesterId,
      remoteAddress: address,
      detail: facts.hostname,
    });
    for (const replaced of result.replaced) {
      api.log.info({ harvester: replaced, by: result.harvesterId }, 'a new enrolment of this machine replaces it');
      await recordEvent(api.pool, {
        event: 'harvester-replaced',
        harvesterId: replaced,
        remoteAddress: address,
        detail: `replaced by ${result.harvesterId} (same machine id)`,
      });
    }
    sendJson(res, 201, { harvesterId: result.harvesterId, credential: result.credential } satisfies EnrollResponse);
  };
}
