import type { SessionListQuery } from '@nester/contracts/nester/api';

export const periods = [
  { label: 'Last hour', value: '1h', ms: 3600_000 },
  { label: 'Last 24 hours', value: '24h', ms: 86_400_000 },
  { label: 'Last 7 days', value: '7d', ms: 7 * 86_400_000 },
  { label: 'Last 30 days', value: '30d', ms: 30 * 86_400_000 },
  { label: 'All time', value: 'all', ms: 0 },
];

/** nester's session query from the page URL (user, kind, harvester, period). */
export function sessionFiltersFromQuery(query: URLSearchParams, now: number = Date.now()): SessionListQuery {
  const kind = query.get('kind');
  const period = periods.find((p) => p.value === (query.get('period') ?? '7d')) ?? periods[2];
  return {
    user: query.get('user') || undefined,
    harvesterId: query.get('harvesterId') || undefined,
    kind: kind === 'vnc' || kind === 'terminal' ? kind : undefined,
    from: period.ms ? new Date(now - period.ms).toISOString() : undefined,
    limit: 200,
  };
}
