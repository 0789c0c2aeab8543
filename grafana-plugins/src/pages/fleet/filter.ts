import type { Harvester, HarvesterStatus } from '@nester/contracts/nester/api';

export type SortKey = 'hostname' | 'status' | 'lastSeen' | 'os';

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
}

export function osName(harvester: Harvester): string {
  return harvester.os?.prettyName || [harvester.os?.name, harvester.os?.version].filter(Boolean).join(' ') || 'Unknown';
}

export function labelPairs(harvester: Harvester): string[] {
  return Object.entries(harvester.labels ?? {}).map(([key, value]) => `${key}=${value}`);
}

function matchesSearch(harvester: Harvester, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (needle === '') {
    return true;
  }
  const haystack = [harvester.hostname, harvester.id, ...(harvester.addresses ?? []), ...labelPairs(harvester)];
  return haystack.some((text) => text.toLowerCase().includes(needle));
}

const statusOrder: Record<HarvesterStatus, number> = { online: 0, offline: 1, revoked: 2 };

function compare(a: Harvester, b: Harvester, key: SortKey): number {
  switch (key) {
    case 'status':
      return statusOrder[a.status] - statusOrder[b.status] || a.hostname.localeCompare(b.hostname);
    case 'lastSeen':
      // Most recently seen first by default; never seen last.
      return (Date.parse(b.lastSeen ?? '') || 0) - (Date.parse(a.lastSeen ?? '') || 0);
    case 'os':
      return osName(a).localeCompare(osName(b)) || a.hostname.localeCompare(b.hostname);
    default:
      return a.hostname.localeCompare(b.hostname, undefined, { numeric: true });
  }
}

export function applyFilters(harvesters: Harvester[], filters: FleetFilters): Harvester[] {
  const selected = harvesters.filter(
    (harvester) =>
      matchesSearch(harvester, filters.search) &&
      (!filters.status || harvester.status === filters.status) &&
      (!filters.os || osName(harvester) === filters.os) &&
      filters.labels.every((pair) => labelPairs(harvester).includes(pair)) &&
      !(filters.hideRetired && (harvester.status === 'revoked' || harvester.replacedBy)),
  );
  const sorted = [...selected].sort((a, b) => compare(a, b, filters.sort));
  return filters.descending ? sorted.reverse() : sorted;
}

export function distinct(values: string[]): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b));
}

const sortKeys: SortKey[] = ['hostname', 'status', 'lastSeen', 'os'];
const statuses: HarvesterStatus[] = ['online', 'offline', 'revoked'];

/** Filters from the page URL, so a filtered fleet view can be shared as a link. */
export function filtersFromQuery(query: URLSearchParams): FleetFilters {
  const status = query.get('status') as HarvesterStatus | null;
  const sort = query.get('sort') as SortKey | null;
  return {
    search: query.get('q') ?? '',
    status: status && statuses.includes(status) ? status : undefined,
    os: query.get('os') || undefined,
    labels: query.getAll('label'),
    hideRetired: query.get('retired') === 'hide',
    sort: sort && sortKeys.includes(sort) ? sort : 'hostname',
    descending: query.get('desc') === '1',
  };
}
