// The query of GET /api/v1/harvesters, checked at the edge: every value is what the store's SQL
// expects, or the request is a 400 saying which parameter and what it accepts.

import {
  HARVESTER_PAGE_MAX,
  HARVESTER_SORT_KEYS,
  HARVESTER_STATUSES,
  type HarvesterListQuery,
  type HarvesterSortKey,
  type HarvesterStatus,
} from '@nester/contracts/nester/api';
import { HttpError } from '@nester/common/http/http-error';
import { storableText } from '../text/storable-text';
import { queryParam } from './unchecked';

/** At most this many label filters: each is a jsonb containment the database checks per row. */
export const MAX_LABEL_FILTERS = 20;
const MAX_OFFSET = 2_147_483_647;

export interface HarvesterListParams {
  status?: HarvesterStatus;
  q?: string;
  /** Leave out revoked and replaced enrolments. */
  hideRetired: boolean;
  os?: string;
  labels: Record<string, string>;
  sort: HarvesterSortKey;
  descending: boolean;
  limit?: number;
  offset: number;
}

const param = (query: URLSearchParams, name: keyof HarvesterListQuery) => queryParam<HarvesterListQuery>(query, name);

function wholeNumber(text: string | undefined, name: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,10}$/.test(text) || Number(text) < min || Number(text) > max)
    throw new HttpError(400, `${name} must be a whole number from ${min} to ${max}`);
  return Number(text);
}

export function parseHarvesterListParams(query: URLSearchParams): HarvesterListParams {
  const status = param(query, 'status');
  if (status !== undefined && status !== '' && !(HARVESTER_STATUSES as readonly string[]).includes(status))
    throw new HttpError(400, `status must be one of ${HARVESTER_STATUSES.join(', ')}`);
  const sort = param(query, 'sort');
  if (sort !== undefined && !(HARVESTER_SORT_KEYS as readonly string[]).includes(sort))
    throw new HttpError(400, `sort must be one of ${HARVESTER_SORT_KEYS.join(', ')}`);
  const order = param(query, 'order');
  if (order !== undefined && order !== 'asc' && order !== 'desc') throw new HttpError(400, 'order must be asc or desc');
  const hideRetired = param(query, 'hideRetired');
  if (hideRetired !== undefined && hideRetired !== 'true' && hideRetired !== 'false')
    throw new HttpError(400, 'hideRetired must be true or false');
  const pairs = query.getAll('label' satisfies keyof HarvesterListQuery);
  if (pairs.length > MAX_LABEL_FILTERS)
    throw new HttpError(400, `at most ${MAX_LABEL_FILTERS} label filters (label=key=value) at once`);
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new HttpError(400, `label must be key=value, e.g. label=site=paris (got ${JSON.stringify(pair)})`);
    labels[storableText(pair.slice(0, eq), 200)] = storableText(pair.slice(eq + 1), 200);
  }
  return {
    status: (status || undefined) as HarvesterStatus | undefined,
    q: storableText(param(query, 'q') ?? '', 200) || undefined,
    hideRetired: hideRetired === 'true',
    os: storableText(param(query, 'os') ?? '', 200) || undefined,
    labels,
    sort: (sort ?? 'hostname') as HarvesterSortKey,
    descending: order === 'desc',
    limit: wholeNumber(param(query, 'limit'), 'limit', 1, HARVESTER_PAGE_MAX),
    offset: wholeNumber(param(query, 'offset'), 'offset', 0, MAX_OFFSET) ?? 0,
  };
}
