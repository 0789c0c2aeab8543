import type {
  Harvester,
  HarvesterFacets,
  HarvesterListQuery,
  HarvesterSortKey,
  HarvesterStatus,
} from '@nester/contracts/nester/api';
import { HARVESTER_SORT_KEYS } from '@nester/contracts/nester/api';
import { compareVersions } from '@nester/contracts/nester/versions';

import type { Health } from './health';

/** Columns sorted by the datasource's figures: within the page shown (nester has no metrics). */
export type HealthSortKey = 'cpu' | 'memory' | 'disk' | 'load' | 'uptime' | 'lastPush';
export const HEALTH_SORT_KEYS: readonly HealthSortKey[] = ['cpu', 'memory', 'disk', 'load', 'uptime', 'lastPush'];
export type SortKey = HarvesterSortKey | HealthSortKey;

export const PAGE_SIZE = 50;

export interface FleetFilters {
  search: string;
  status?: HarvesterStatus;
  os?: string;
  /** "key=value" pairs; a harvester must carry all of them. */
  labels: string[];
  /** Leave out revoked harvesters and enrolments a later one of the same machine replaced. */
  hideRetired: boolean;
  sort: SortKey;
  descending: boolean;
  /** 1-based. */
  page: number;
}

export function osName(harvester: Harvester): string {
  return harvester.os?.prettyName || [harvester.os?.name, harvester.os?.version].filter(Boolean).join(' ') || 'Unknown';
}

export function labelPairs(harvester: Harvester): string[] {
  return Object.entries(harvester.labels ?? {}).map(([key, value]) => `${key}=${value}`);
}

const statuses: HarvesterStatus[] = ['online', 'offline', 'revoked'];
const sortKeys: readonly SortKey[] = [...HARVESTER_SORT_KEYS, ...HEALTH_SORT_KEYS];

export function isHealthSort(key: SortKey): key is HealthSortKey {
  return (HEALTH_SORT_KEYS as readonly string[]).includes(key);
}

/** Filters from the page URL, so a filtered, sorted fleet view can be shared as a link. */
export function filtersFromQuery(query: URLSearchParams): FleetFilters {
  const status = query.get('status') as HarvesterStatus | null;
  const sort = query.get('sort') as SortKey | null;
  const page = Number(query.get('page'));
  return {
    search: query.get('q') ?? '',
    status: status && statuses.includes(status) ? status : undefined,
    os: query.get('os') || undefined,
    labels: query.getAll('label'),
    hideRetired: query.get('retired') === 'hide',
    sort: sort && sortKeys.includes(sort) ? sort : 'hostname',
    descending: query.get('desc') === '1',
    page: Number.isSafeInteger(page) && page > 1 ? page : 1,
  };
}

/**
 * nester's query for the page: its filters, sort and paging. A health sort orders the page nester
 * returns in hostname order.
 */
export function listQuery(filters: FleetFilters, pageSize = PAGE_SIZE): HarvesterListQuery {
  const health = isHealthSort(filters.sort);
  return {
    q: filters.search.trim() || undefined,
    status: filters.status,
    os: filters.os,
    label: filters.labels,
    hideRetired: filters.hideRetired ? 'true' : undefined,
    sort: health ? 'hostname' : (filters.sort as HarvesterSortKey),
    order: !health && filters.descending ? 'desc' : undefined,
    limit: pageSize,
    offset: (filters.page - 1) * pageSize,
  };
}

export function pageCount(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

const healthValue: Record<HealthSortKey, (h: Health) => number | undefined> = {
  cpu: (h) => h.cpuPercent,
  memory: (h) => h.memoryPercent,
  disk: (h) => h.diskPercent,
  load: (h) => h.load1,
  uptime: (h) => h.uptimeSeconds,
  lastPush: (h) => h.lastSampleMs,
};

/**
 * The page's rows by a health figure: highest first (what an operator looks for), `descending`
 * reverses; rows without the figure stay last either way.
 */
export function sortByHealth(
  rows: Harvester[],
  health: Map<string, Health> | undefined,
  key: HealthSortKey,
  descending: boolean,
): Harvester[] {
  const value = (h: Harvester) => {
    const found = health?.get(h.id);
    return found ? healthValue[key](found) : undefined;
  };
  const known = rows.filter((h) => value(h) !== undefined);
  const unknown = rows.filter((h) => value(h) === undefined);
  known.sort((a, b) => (value(b)! - value(a)!) * (descending ? -1 : 1));
  return [...known, ...unknown];
}

/** Agents (not revoked) older than the release nester serves. */
export function outdatedAgents(facets: HarvesterFacets | undefined, latest: string | undefined): number {
  if (!facets || !latest) {
    return 0;
  }
  return Object.entries(facets.agentVersion)
    .filter(([version]) => version !== '' && compareVersions(version, latest) < 0)
    .reduce((sum, [, count]) => sum + count, 0);
}

/** Facet keys, most common first. */
export function facetChoices(facet: Record<string, number> | undefined): string[] {
  return Object.entries(facet ?? {})
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([key]) => key);
}
