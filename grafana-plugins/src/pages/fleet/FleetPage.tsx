import { SelectableValue } from '@grafana/data';
import { PluginPage, locationService } from '@grafana/runtime';
import { FilterInput, MultiSelect, RadioButtonGroup, Select, Stack } from '@grafana/ui';
import { useCallback, useMemo } from 'react';

import { useApp } from '../../app/context';
import { setQuery } from '../../app/route';
import { ErrorState } from '../../components/ErrorState';
import { useAsync } from '../../components/useAsync';
import { FleetTable } from './FleetTable';
import { HideRetiredSwitch } from './HideRetiredSwitch';
import { SortKey, applyFilters, distinct, filtersFromQuery, labelPairs, osName } from './filter';

const REFRESH_MS = 15_000;

const statusOptions: Array<SelectableValue<string>> = [
  { label: 'All', value: '' },
  { label: 'Online', value: 'online' },
  { label: 'Offline', value: 'offline' },
  { label: 'Revoked', value: 'revoked' },
];

const sortOptions: Array<SelectableValue<SortKey>> = [
  { label: 'Hostname', value: 'hostname' },
  { label: 'Status', value: 'status' },
  { label: 'Last seen', value: 'lastSeen' },
  { label: 'Operating system', value: 'os' },
];

export function FleetPage({ query }: { query: URLSearchParams }) {
  const { client } = useApp();
  const filters = filtersFromQuery(query);
  const harvesters = useAsync(
    useCallback((signal: AbortSignal) => client.listHarvesters({}, signal), [client]),
    REFRESH_MS,
  );
  // The release nester serves marks older agents; a nester without one marks none.
  const releases = useAsync(
    useCallback((signal: AbortSignal) => client.getReleases(signal).catch(() => undefined), [client]),
    REFRESH_MS,
  );
  const all = useMemo(() => harvesters.value ?? [], [harvesters.value]);
  const shown = useMemo(() => applyFilters(all, filters), [all, filters]);
  const online = all.filter((h) => h.status === 'online').length;

  const setLabels = (labels: string[]) => {
    const params = new URLSearchParams(locationService.getLocation().search);
    params.delete('label');
    labels.forEach((label) => params.append('label', label));
    locationService.replace({ search: params.toString() });
  };

  return (
    <PluginPage
      subTitle={
        harvesters.value
          ? `${all.length} harvesters · ${online} online · ${all.length - online} offline or revoked`
          : 'Every machine running the harvester agent'
      }
    >
      <Stack direction="column" gap={2}>
        <Stack direction="row" gap={1} wrap="wrap" alignItems="center">
          <div style={{ flex: '1 1 240px' }}>
            <FilterInput
              placeholder="Search hostname, id, address or label"
              value={filters.search}
              onChange={(value) => setQuery({ q: value })}
            />
          </div>
          <RadioButtonGroup
            options={statusOptions}
            value={filters.status ?? ''}
            onChange={(value) => setQuery({ status: value })}
          />
          <Select
            aria-label="Operating system"
            width={28}
            isClearable
            placeholder="Any operating system"
            options={distinct(all.map(osName)).map((os) => ({ label: os, value: os }))}
            value={filters.os ?? null}
            onChange={(choice) => setQuery({ os: choice?.value ?? '' })}
          />
          <MultiSelect
            aria-label="Labels"
            width={32}
            placeholder="Any labels"
            options={distinct(all.flatMap(labelPairs)).map((pair) => ({ label: pair, value: pair }))}
            value={filters.labels}
            onChange={(choices) => setLabels(choices.map((choice) => choice.value!).filter(Boolean))}
          />
          <HideRetiredSwitch hidden={filters.hideRetired} />
          <Select
            aria-label="Sort by"
            width={22}
            prefix="Sort:"
            options={sortOptions}
            value={filters.sort}
            onChange={(choice) => setQuery({ sort: choice.value ?? 'hostname' })}
          />
        </Stack>
        {harvesters.error !== undefined && <ErrorState error={harvesters.error} onRetry={harvesters.reload} />}
        {harvesters.value && (
          <FleetTable
            harvesters={shown}
            total={all.length}
            latest={releases.value?.harvester?.version}
            onChanged={harvesters.reload}
          />
        )}
        {!harvesters.value && harvesters.loading && <div>Loading the fleet…</div>}
      </Stack>
    </PluginPage>
  );
}
