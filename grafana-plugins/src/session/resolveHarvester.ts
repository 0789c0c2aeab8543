import type { Harvester } from '@nester/contracts/nester/api';

import { NesterError } from '../api/errors';
import { NesterClient } from '../api/client';

/**
 * Finds the harvester a panel option names by its id, as nester assigned it. Hostnames are not
 * matched: they repeat (a re-enrolled or cloned machine) and change; dashboards get the id from
 * the `harvester_id` label (the provisioned Harvester dashboard's $harvester variable).
 */
export async function resolveHarvester(
  client: Pick<NesterClient, 'getHarvester'>,
  id: string,
  signal?: AbortSignal,
): Promise<Harvester> {
  const wanted = id.trim();
  try {
    return await client.getHarvester(wanted, signal);
  } catch (err) {
    if (err instanceof NesterError && err.kind === 'not-found') {
      throw new NesterError(
        'not-found',
        `No harvester has the id "${wanted}". The panel's harvester option takes a harvester id (h_…), e.g. a variable over the harvester_id label; hostnames are not matched.`,
        404,
      );
    }
    throw err;
  }
}
