import { PluginPage, locationService } from '@grafana/runtime';
import { FilterInput, MultiSelect, Pagination, RadioButtonGroup, Select, Stack, Text } from '@grafana/ui';
import { useCallback, useMemo } from 'react';

import { useApp } from '../../app/context';
import { setQuery } from '../../app/route';
import { ErrorState } from '../../components/ErrorState';
import { useAsync } from '../../components/useAsync';
import { FleetSummary } from './FleetSummary';
import { FleetTable } from './FleetTable';
import { HideRetiredSwitch } from './HideRetiredSwitch';
import {
  PAGE_SIZE,
  facetChoices,
  filtersFromQuery,
  isHealthSort,
  listQuery,
  outdatedAgents,
  pageCount,
  sortByHealth,
} from './filter';
import { loadHealth } from './loadHealth';
import { countHigh } from './thresholds';

const REFRESH_MS = 15_000;
const HEALTH_REFRESH_MS = 60_000;
/**
 * Above this many harvesters the summary counts the page's machines, not the fleet's: one
 * builder request over 10,000 machines (100,000 series) outlasted the datasource proxy's timeout
 * (docs/benchmarks.md, "Fleet page").
 */
export const FLEET_HEALTH_MAX = 1000;

const statusOptions = [
  { label: 'All', value: '' },
  { label: 'Online', value: 'online' },
  { label: 'Offline', value: 'offline' },
  { label: 'Revoked', value: 'revoked' },
];

export function FleetPage({ query }: { query: URLSearchParams }) {
  const { client, settings } = useApp();
  const filters = filtersFromQuery(query);
  const search = query.toString();
  const request = useMemo(() => listQuery(filtersFromQuery(new URLSearchParams(search))), [search]);
  const list = useAsync(
    useCallback((signal: AbortSignal) => client.pageHarvesters(request, signal), [client, request]),
    REFRESH_MS,
  );
  // The release nester serves marks older agents; a nester without one marks none.
  const releases = useAsync(
    useCallback((signal: AbortSignal) => client.getReleases(signal).catch(() => undefined), [client]),
    REFRESH_MS,
  );
  const uid = settings.metricsDatasourceUid;
  const ids = list.value?.harvesters.map((h) => h.id);
  const idsKey = ids?.join(',') ?? '';
  // One request for the rows shown, whatever the page size; one for the whole fleet's counts.
  const pageHealth = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        uid && idsKey ? loadHealth(uid, idsKey.split(','), signal) : Promise.resolve(undefined),
      [uid, idsKey],
    ),
    HEALTH_REFRESH_MS,
  );
  const page = list.value;
  const fleetSize = page ? page.facets.status.online + page.facets.status.offline + page.facets.status.revoked : 0;
  const fleetWide = page !== undefined && fleetSize <= FLEET_HEALTH_MAX;
  const fleetHealth = useAsync(
    useCallback(
      (signal: AbortSignal) => (uid && fleetWide ? loadHealth(uid, undefined, signal) : Promise.resolve(undefined)),
      [uid, fleetWide],
    ),
    HEALTH_REFRESH_MS,
  );
  const counted = fleetWide ? fleetHealth : pageHealth;
  const high = useMemo(() => counted.value && countHigh(counted.value.values()), [counted.value]);
  const latest = releases.value?.harvester?.version;
  const rows = useMemo(
    () =>
      page && isHealthSort(filters.sort)
        ? sortByHealth(page.harvesters, pageHealth.value, filters.sort, filters.descending)
        : (page?.harvesters ?? []),
    [page, pageHealth.value, filters.sort, filters.descending],
  );

  const setLabels = (labels: string[]) => {
    const params = new URLSearchParams(locationService.getLocation().search);
    params.delete('label');
    params.delete('page');
    labels.forEach((label) => params.append('label', label));
    locationService.replace({ search: params.toString() });
  };

  return (
    <PluginPage
      subTitle={
        page
          ? `${fleetSize} harvesters · ${page.facets.status.online} online`
          : 'Every machine running the harvester agent'
      }
    >
      <Stack direction="column" gap={2}>
        {page && (
          <FleetSummary
            facets={page.facets}
            outdated={outdatedAgents(page.facets, latest)}
            latest={latest}
            high={high}
            highScope={fleetWide ? 'fleet' : 'page'}
            highState={
              !uid ? 'no-datasource' : counted.value ? 'ready' : counted.error !== undefined ? 'error' : 'loading'
            }
            status={filters.status}
          />
        )}
        <Stack direction="row" gap={1} wrap="wrap" alignItems="center">
          <div style={{ flex: '1 1 240px' }}>
            <FilterInput
              placeholder="Search hostname, id, address or label"
              value={filters.search}
              onChange={(value) => setQuery({ q: value, page: undefined })}
            />
          </div>
          <RadioButtonGroup
            options={statusOptions}
            value={filters.status ?? ''}
            onChange={(value) => setQuery({ status: value, page: undefined })}
          />
          <Select
            aria-label="Operating system"
            width={28}
            isClearable
            placeholder="Any operating system"
            options={facetChoices(page?.facets.os).map((os) => ({ label: os, value: os }))}
            value={filters.os ?? null}
            onChange={(choice) => setQuery({ os: choice?.value ?? '', page: undefined })}
          />
          <MultiSelect
            aria-label="Labels"
            width={32}
            placeholder="Any labels"
            options={facetChoices(page?.facets.label).map((pair) => ({ label: pair, value: pair }))}
            value={filters.labels}
            onChange={(choices) => setLabels(choices.map((choice) => choice.value!).filter(Boolean))}
          />
          <HideRetiredSwitch hidden={filters.hideRetired} />
        </Stack>
        {list.error !== undefined && <ErrorState error={list.error} onRetry={list.reload} />}
        {pageHealth.error !== undefined && (
          <Text color="warning">
            Health figures unavailable: {pageHealth.error instanceof Error ? pageHealth.error.message : 'no answer'}
          </Text>
        )}
        {page && (
          <FleetTable
            harvesters={rows}
            fleetSize={fleetSize}
            health={pageHealth.value}
            latest={latest}
            sort={filters.sort}
            descending={filters.descending}
            onChanged={list.reload}
          />
        )}
        {page && page.total > PAGE_SIZE && (
          <Stack direction="row" gap={2} alignItems="center" justifyContent="space-between">
            <Text color="secondary">
              <span data-testid="fleet-range">
                {`${(filters.page - 1) * PAGE_SIZE + 1}–${Math.min(filters.page * PAGE_SIZE, page.total)} of ${page.total}`}
              </span>
            </Text>
            <Pagination
              currentPage={filters.page}
              numberOfPages={pageCount(page.total)}
              onNavigate={(to) => setQuery({ page: to > 1 ? String(to) : undefined })}
            />
          </Stack>
        )}
        {!page && list.loading && <div>Loading the fleet…</div>}
      </Stack>
    </PluginPage>
  );
}
