import type { Harvester } from '@nester/contracts/nester/api';

import { NesterError } from '../api/errors';
import { NesterClient } from '../api/client';

/**
 * Finds the harvester a panel option names: an id as nester assigned it, or a hostname
 * (what dashboard variables usually hold, e.g. $instance without the port).
 */
export async function resolveHarvester(
  client: Pick<NesterClient, 'getHarvester' | 'listHarvesters'>,
  idOrHostname: string,
  signal?: AbortSignal,
): Promise<Harvester> {
  const wanted = idOrHostname.trim();
  try {
    return await client.getHarvester(wanted, signal);
  } catch (err) {
    if (!(err instanceof NesterError) || err.kind !== 'not-found') {
      throw err;
    }
  }
  const hostname = wanted.replace(/:\d+$/, '').toLowerCase();
  const candidates = await client.listHarvesters({ q: hostname }, signal);
  const matches = candidates.filter((h) => h.hostname.toLowerCase() === hostname);
  // Prefer the live one when a machine was re-enrolled and its old entry is still listed.
  const best = matches.find((h) => h.status === 'online') ?? matches.find((h) => h.status !== 'revoked') ?? matches[0];
  if (!best) {
    throw new NesterError('not-found', `No harvester is called "${wanted}". Check the panel's harvester option.`, 404);
  }
  return best;
}
