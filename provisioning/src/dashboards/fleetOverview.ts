// The Fleet overview dashboard: every harvester of a job at a glance (up or down, CPU, memory,
// fullest filesystem, network, load), each linking to its Harvester dashboard and to the fleet
// app. Written for Nester, not copied.
import { MappingType, SpecialValueMatch, type Dashboard } from '@grafana/schema';

import { dashboard, link, queryVariable } from './dashboard';
import { Grid } from './grid';
import { FLEET_APP_URL, FLEET_OVERVIEW_UID, HARVESTER_DASHBOARD_URL } from './ids';
import {
  type DataLink,
  column,
  gaugeColumn,
  negativeY,
  stat,
  stateTimeline,
  table,
  timeseries,
  usageThresholds,
} from './panels';
import { eq, ne, nre, query } from './queries';
import { calculate, columns, groupBy, latestRows, oneMinusEach, sortBy } from './transforms';

const JOB = [eq('job', '$job')];
const IDLE = [...JOB, eq('mode', 'idle')];

const percent = { unit: 'percentunit', min: 0, max: 1, decimals: 1 };

/** To the Harvester dashboard of a series' instance (time series panels). */
const seriesLink: DataLink = {
  title: 'Harvester dashboard',
  url: `${HARVESTER_DASHBOARD_URL}?var-job=\${job}&var-instance=\${__field.labels.instance}&\${__url_time_range}`,
};
/** To the Harvester dashboard of a table row's instance. */
const rowLink: DataLink = {
  title: 'Harvester dashboard',
  url: `${HARVESTER_DASHBOARD_URL}?var-job=\${job}&var-instance=\${__value.raw}&\${__url_time_range}`,
};
/** To the fleet app's Fleet page, filtered to a table row's hostname. */
const appLink: DataLink = { title: 'Open in the fleet app', url: `${FLEET_APP_URL}?q=\${__value.raw}` };

// The "now" panels look at the last 5 minutes in 1-minute steps, so a harvester that stopped
// pushing drops out of them (and shows as down in the timeline) instead of keeping old values.
const NOW = { timeFrom: '5m', interval: '1m' };

function statusRow(grid: Grid) {
  grid
    .row('Fleet')
    .add(
      8,
      4,
      stat({
        title: 'Harvesters reporting',
        description: 'Harvesters with a sample in the last 5 minutes.',
        targets: [query('A', { metric: 'up', matchers: JOB, agg: 'count' })],
        unit: 'none',
        noValue: '0',
        graph: true,
      }),
    )
    .add(
      8,
      4,
      stat({
        title: 'CPU cores',
        description: 'Cores of the harvesters reporting.',
        targets: [query('A', { metric: 'node_cpu_seconds_total', matchers: IDLE, agg: 'count' })],
        unit: 'none',
        graph: true,
      }),
    )
    .add(
      8,
      4,
      stat({
        title: 'Memory',
        description: 'Memory of the harvesters reporting.',
        targets: [query('A', { metric: 'node_memory_MemTotal_bytes', matchers: JOB, agg: 'sum' })],
        unit: 'bytes',
        decimals: 1,
        graph: true,
      }),
    )
    .add(
      24,
      7,
      stateTimeline({
        title: 'Up / down (last 24 hours)',
        description: 'Up while a harvester pushes samples; down after 5 minutes without one.',
        targets: [query('A', { metric: 'up', matchers: JOB, legend: '{{instance}}' })],
        timeFrom: '24h',
        interval: '1m',
        insertNulls: 5 * 60_000,
        mappings: [
          { type: MappingType.ValueToText, options: { '1': { text: 'up', color: 'green', index: 0 } } },
          {
            type: MappingType.SpecialValue,
            options: { match: SpecialValueMatch.Null, result: { text: 'down', color: 'red', index: 1 } },
          },
        ],
        links: [seriesLink],
      }),
    );
}

function nowRow(grid: Grid) {
  grid
    .add(
      16,
      10,
      table({
        title: 'Harvesters',
        description: 'Each harvester reporting in the last 5 minutes, with its latest figures.',
        ...NOW,
        targets: [
          query('A', { metric: 'node_uname_info', matchers: JOB }),
          query('B', { metric: 'node_load1', matchers: JOB }),
          query('C', { metric: 'node_memory_MemAvailable_bytes', matchers: JOB }),
          query('D', { metric: 'node_memory_MemTotal_bytes', matchers: JOB }),
          query('E', { metric: 'node_time_seconds', matchers: JOB }),
          query('F', { metric: 'node_boot_time_seconds', matchers: JOB }),
          // The one aggregated query: its value field is "Value" (the others keep metric names).
          query('G', {
            metric: 'node_cpu_seconds_total',
            matchers: IDLE,
            fn: 'rate',
            agg: 'avg',
            by: ['instance', 'job'],
          }),
        ],
        transformations: [
          ...latestRows(),
          calculate('memory available ratio', 'node_memory_MemAvailable_bytes', '/', 'node_memory_MemTotal_bytes'),
          calculate('memory used', 1, '-', 'memory available ratio'),
          calculate('cpu busy', 1, '-', 'Value'),
          calculate('uptime', 'node_time_seconds', '-', 'node_boot_time_seconds'),
          columns(['nodename', 'instance', 'cpu busy', 'memory used', 'node_load1', 'uptime', 'release', 'machine']),
        ],
        overrides: [
          column('nodename', 'Host', { links: [appLink] }),
          column('instance', 'Instance', { links: [rowLink] }),
          gaugeColumn('cpu busy', 'CPU busy', { ...percent, thresholds: usageThresholds(0.85, 0.95) }),
          gaugeColumn('memory used', 'Memory used', { ...percent, thresholds: usageThresholds(0.8, 0.9) }),
          column('node_load1', 'Load 1m', { decimals: 2 }),
          column('uptime', 'Uptime', { unit: 's', decimals: 1 }),
          column('release', 'Kernel'),
          column('machine', 'Arch'),
        ],
        sortBy: { displayName: 'Host', desc: false },
      }),
    )
    .add(
      8,
      10,
      table({
        title: 'Fullest filesystem',
        description: "Each harvester's fullest local filesystem (tmpfs and ramfs left out), fullest first.",
        ...NOW,
        targets: [
          query('A', { metric: 'node_filesystem_avail_bytes', matchers: [...JOB, nre('fstype', 'tmpfs|ramfs')] }),
          query('B', { metric: 'node_filesystem_size_bytes', matchers: [...JOB, nre('fstype', 'tmpfs|ramfs')] }),
        ],
        transformations: [
          ...latestRows(),
          calculate('available ratio', 'node_filesystem_avail_bytes', '/', 'node_filesystem_size_bytes'),
          calculate('used', 1, '-', 'available ratio'),
          sortBy('used', true),
          groupBy('instance', { mountpoint: 'first', used: 'first' }),
        ],
        overrides: [
          column('instance', 'Instance', { links: [rowLink] }),
          column('mountpoint (first)', 'Mounted on'),
          gaugeColumn('used (first)', 'Used', { ...percent, thresholds: usageThresholds(0.8, 0.9) }),
        ],
        sortBy: { displayName: 'Used', desc: true },
      }),
    );
}

function trendsRow(grid: Grid) {
  const perHost = { legendCalcs: ['lastNotNull', 'max'], links: [seriesLink] };
  grid
    .row('Over time')
    .add(
      12,
      8,
      timeseries({
        title: 'CPU busy',
        description: 'Share of CPU time not idle, per harvester.',
        targets: [
          query('A', {
            metric: 'node_cpu_seconds_total',
            matchers: IDLE,
            fn: 'rate',
            agg: 'avg',
            by: ['instance'],
            legend: '{{instance}}',
          }),
        ],
        transformations: oneMinusEach(),
        ...percent,
        ...perHost,
      }),
    )
    .add(
      12,
      8,
      timeseries({
        title: 'Load 1m',
        targets: [query('A', { metric: 'node_load1', matchers: JOB, legend: '{{instance}}' })],
        unit: 'short',
        min: 0,
        ...perHost,
      }),
    )
    .add(
      12,
      8,
      timeseries({
        title: 'Network traffic',
        description: 'Bytes per second over all interfaces but lo, per harvester; transmit below the axis.',
        targets: [
          query('A', {
            metric: 'node_network_receive_bytes_total',
            matchers: [...JOB, ne('device', 'lo')],
            fn: 'rate',
            agg: 'sum',
            by: ['instance'],
            legend: '{{instance}} receive',
          }),
          query('B', {
            metric: 'node_network_transmit_bytes_total',
            matchers: [...JOB, ne('device', 'lo')],
            fn: 'rate',
            agg: 'sum',
            by: ['instance'],
            legend: '{{instance}} transmit',
          }),
        ],
        unit: 'Bps',
        overrides: [negativeY('.* transmit$')],
        ...perHost,
      }),
    )
    .add(
      12,
      8,
      timeseries({
        title: 'Memory available',
        description: 'MemAvailable per harvester.',
        targets: [query('A', { metric: 'node_memory_MemAvailable_bytes', matchers: JOB, legend: '{{instance}}' })],
        unit: 'bytes',
        min: 0,
        ...perHost,
      }),
    );
}

export function fleetOverviewDashboard(): Dashboard {
  const grid = new Grid();
  statusRow(grid);
  nowRow(grid);
  trendsRow(grid);
  return dashboard({
    uid: FLEET_OVERVIEW_UID,
    title: 'Fleet overview',
    description: 'Every harvester at a glance: up or down, CPU, memory, fullest filesystem, network and load.',
    tags: ['nester', 'fleet', 'node_exporter'],
    variables: [
      queryVariable({ name: 'job', label: 'Job', values: { label: 'job', match: 'node_uname_info' }, current: 'node' }),
    ],
    links: [link('Fleet app', FLEET_APP_URL, 'Inventory, sessions and enrolment in the Nester app')],
    panels: grid.build(),
  });
}
