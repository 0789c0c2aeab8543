// The Harvester dashboard: one machine (the job and instance variables), with what a
// node_exporter user looks for in Node Exporter Full's main rows (quick CPU / memory / disk
// figures, then CPU, memory, network, disk space, disk I/O, load) and the machine's remote
// desktop and terminal from the fleet app's panels. Written for Nester, not copied.
import { MappingType, SpecialValueMatch, type Dashboard } from '@grafana/schema';

import { dashboard, link, queryVariable } from './dashboard';
import { Grid } from './grid';
import { HARVESTER_ID_LABEL, HARVESTER_INFO_METRIC } from '@nester/contracts/metrics/identity';
import { FLEET_APP_HARVESTER_URL, FLEET_OVERVIEW_URL, HARVESTER_UID } from './ids';
import {
  column,
  gauge,
  gaugeColumn,
  negativeY,
  remoteDesktop,
  stat,
  table,
  terminal,
  timeseries,
  usageThresholds,
} from './panels';
import { eq, ne, nre, query } from './queries';
import { calculate, columns, latestRows } from './transforms';

const HOST = [eq('job', '$job'), eq('instance', '$instance')];
const ROOT_FS = [...HOST, eq('mountpoint', '/')];
const LOCAL_FILESYSTEMS = [...HOST, nre('fstype', 'tmpfs|ramfs')];
const NO_LOOPBACK = [...HOST, ne('device', 'lo')];
const IDLE = [...HOST, eq('mode', 'idle')];

const percent = { unit: 'percentunit', min: 0, max: 1, decimals: 1 };

/** used = 1 − available / total, from two queries whose legends name them. */
function usedRatio(name: string) {
  return [calculate('available ratio', 'available', '/', 'total'), calculate(name, 1, '-', 'available ratio', true)];
}

function quickRow(grid: Grid) {
  grid
    .row('Quick CPU / Mem / Disk')
    .add(
      3,
      4,
      gauge({
        title: 'CPU busy',
        description: 'Share of CPU time not idle, all cores.',
        targets: [
          query('A', { metric: 'node_cpu_seconds_total', matchers: IDLE, fn: 'rate', agg: 'avg', legend: 'idle' }),
        ],
        transformations: [calculate('CPU busy', 1, '-', 'idle', true)],
        ...percent,
        thresholds: usageThresholds(0.85, 0.95),
      }),
    )
    .add(
      3,
      4,
      gauge({
        title: 'Sys load (per core)',
        description: '1-minute load average divided by the number of cores.',
        targets: [
          query('A', { metric: 'node_load1', matchers: HOST, legend: 'load1' }),
          query('B', { metric: 'node_cpu_seconds_total', matchers: IDLE, agg: 'count', legend: 'cores' }),
        ],
        transformations: [calculate('Load per core', 'load1', '/', 'cores', true)],
        ...percent,
        thresholds: usageThresholds(0.85, 1),
      }),
    )
    .add(
      3,
      4,
      gauge({
        title: 'RAM used',
        description: '1 − MemAvailable / MemTotal.',
        targets: [
          query('A', { metric: 'node_memory_MemAvailable_bytes', matchers: HOST, legend: 'available' }),
          query('B', { metric: 'node_memory_MemTotal_bytes', matchers: HOST, legend: 'total' }),
        ],
        transformations: usedRatio('RAM used'),
        ...percent,
        thresholds: usageThresholds(0.8, 0.9),
      }),
    )
    .add(
      3,
      4,
      gauge({
        title: 'SWAP used',
        description: '1 − SwapFree / SwapTotal; "No swap" when the machine has none.',
        targets: [
          query('A', { metric: 'node_memory_SwapFree_bytes', matchers: HOST, legend: 'available' }),
          query('B', { metric: 'node_memory_SwapTotal_bytes', matchers: HOST, legend: 'total' }),
        ],
        transformations: usedRatio('SWAP used'),
        ...percent,
        thresholds: usageThresholds(0.1, 0.25),
        mappings: [
          { type: MappingType.SpecialValue, options: { match: SpecialValueMatch.NaN, result: { text: 'No swap' } } },
        ],
      }),
    )
    .add(
      3,
      4,
      gauge({
        title: 'Root FS used',
        description: 'Space used on the filesystem mounted at /.',
        targets: [
          query('A', { metric: 'node_filesystem_avail_bytes', matchers: ROOT_FS, agg: 'max', legend: 'available' }),
          query('B', { metric: 'node_filesystem_size_bytes', matchers: ROOT_FS, agg: 'max', legend: 'total' }),
        ],
        transformations: usedRatio('Root FS used'),
        ...percent,
        thresholds: usageThresholds(0.8, 0.9),
      }),
    )
    .add(
      3,
      4,
      stat({
        title: 'Uptime',
        targets: [
          query('A', { metric: 'node_time_seconds', matchers: HOST, legend: 'now' }),
          query('B', { metric: 'node_boot_time_seconds', matchers: HOST, legend: 'boot' }),
        ],
        transformations: [calculate('Uptime', 'now', '-', 'boot', true)],
        unit: 's',
        decimals: 1,
      }),
    )
    .add(
      2,
      4,
      stat({
        title: 'CPU cores',
        targets: [query('A', { metric: 'node_cpu_seconds_total', matchers: IDLE, agg: 'count' })],
        unit: 'none',
      }),
    )
    .add(
      2,
      4,
      stat({
        title: 'RAM total',
        targets: [query('A', { metric: 'node_memory_MemTotal_bytes', matchers: HOST })],
        unit: 'bytes',
        decimals: 1,
      }),
    )
    .add(
      2,
      4,
      stat({
        title: 'Root FS total',
        targets: [query('A', { metric: 'node_filesystem_size_bytes', matchers: ROOT_FS, agg: 'max' })],
        unit: 'bytes',
        decimals: 1,
      }),
    );
}

function basicRow(grid: Grid) {
  grid
    .row('Basic CPU / Mem / Net / Disk')
    .add(
      12,
      8,
      timeseries({
        title: 'CPU basic',
        description: 'Share of CPU time in each mode but idle, averaged over the cores (stacked: total busy).',
        targets: [
          query('A', {
            metric: 'node_cpu_seconds_total',
            matchers: [...HOST, ne('mode', 'idle')],
            fn: 'rate',
            agg: 'avg',
            by: ['mode'],
            legend: '{{mode}}',
          }),
        ],
        stack: true,
        unit: 'percentunit',
        min: 0,
        legendCalcs: ['mean', 'max'],
      }),
    )
    .add(
      12,
      8,
      timeseries({
        title: 'Memory basic',
        description: 'Used is MemTotal − MemAvailable.',
        targets: [
          query('A', { metric: 'node_memory_MemTotal_bytes', matchers: HOST, legend: 'Total' }),
          query('B', { metric: 'node_memory_MemAvailable_bytes', matchers: HOST, legend: 'Available' }),
          query('C', { metric: 'node_memory_MemFree_bytes', matchers: HOST, legend: 'Free' }),
          query('D', { metric: 'node_memory_Cached_bytes', matchers: HOST, legend: 'Cached' }),
          query('E', { metric: 'node_memory_Buffers_bytes', matchers: HOST, legend: 'Buffers' }),
        ],
        transformations: [calculate('Used', 'Total', '-', 'Available')],
        unit: 'bytes',
        min: 0,
        legendCalcs: ['lastNotNull', 'max'],
      }),
    )
    .add(
      12,
      8,
      timeseries({
        title: 'Network traffic basic',
        description: 'Bytes per second per interface but lo; transmit below the axis.',
        targets: [
          query('A', {
            metric: 'node_network_receive_bytes_total',
            matchers: NO_LOOPBACK,
            fn: 'rate',
            legend: '{{device}} receive',
          }),
          query('B', {
            metric: 'node_network_transmit_bytes_total',
            matchers: NO_LOOPBACK,
            fn: 'rate',
            legend: '{{device}} transmit',
          }),
        ],
        unit: 'Bps',
        overrides: [negativeY('.* transmit$')],
        legendCalcs: ['mean', 'max'],
      }),
    )
    .add(
      12,
      8,
      table({
        title: 'Disk space',
        description: 'Each local filesystem (tmpfs and ramfs left out), fullest first.',
        targets: [
          query('A', { metric: 'node_filesystem_avail_bytes', matchers: LOCAL_FILESYSTEMS }),
          query('B', { metric: 'node_filesystem_size_bytes', matchers: LOCAL_FILESYSTEMS }),
        ],
        transformations: [
          ...latestRows(),
          calculate('available ratio', 'node_filesystem_avail_bytes', '/', 'node_filesystem_size_bytes'),
          calculate('used', 1, '-', 'available ratio'),
          columns([
            'mountpoint',
            'device',
            'fstype',
            'node_filesystem_size_bytes',
            'node_filesystem_avail_bytes',
            'used',
          ]),
        ],
        overrides: [
          column('mountpoint', 'Mounted on'),
          column('device', 'Device'),
          column('fstype', 'Type'),
          column('node_filesystem_size_bytes', 'Size', { unit: 'bytes', decimals: 1 }),
          column('node_filesystem_avail_bytes', 'Available', { unit: 'bytes', decimals: 1 }),
          gaugeColumn('used', 'Used', { ...percent, thresholds: usageThresholds(0.8, 0.9) }),
        ],
        sortBy: { displayName: 'Used', desc: true },
      }),
    );
}

function diskRow(grid: Grid) {
  grid
    .row('Disk I/O')
    .add(
      8,
      8,
      timeseries({
        title: 'Disk throughput',
        description: 'Bytes read and written per second per device; written below the axis.',
        targets: [
          query('A', { metric: 'node_disk_read_bytes_total', matchers: HOST, fn: 'rate', legend: '{{device}} read' }),
          query('B', {
            metric: 'node_disk_written_bytes_total',
            matchers: HOST,
            fn: 'rate',
            legend: '{{device}} written',
          }),
        ],
        unit: 'Bps',
        overrides: [negativeY('.* written$')],
      }),
    )
    .add(
      8,
      8,
      timeseries({
        title: 'Disk IOPS',
        description: 'Reads and writes completed per second per device; writes below the axis.',
        targets: [
          query('A', {
            metric: 'node_disk_reads_completed_total',
            matchers: HOST,
            fn: 'rate',
            legend: '{{device}} reads',
          }),
          query('B', {
            metric: 'node_disk_writes_completed_total',
            matchers: HOST,
            fn: 'rate',
            legend: '{{device}} writes',
          }),
        ],
        unit: 'iops',
        overrides: [negativeY('.* writes$')],
      }),
    )
    .add(
      8,
      8,
      timeseries({
        title: 'Time spent doing I/O',
        description: 'Share of time each device was busy (node_disk_io_time_seconds_total).',
        targets: [
          query('A', { metric: 'node_disk_io_time_seconds_total', matchers: HOST, fn: 'rate', legend: '{{device}}' }),
        ],
        unit: 'percentunit',
        min: 0,
      }),
    );
}

function systemRow(grid: Grid) {
  grid
    .row('System')
    .add(
      12,
      8,
      timeseries({
        title: 'System load',
        description: 'Load averages with the number of cores for scale.',
        targets: [
          query('A', { metric: 'node_load1', matchers: HOST, legend: '1m' }),
          query('B', { metric: 'node_load5', matchers: HOST, legend: '5m' }),
          query('C', { metric: 'node_load15', matchers: HOST, legend: '15m' }),
          query('D', { metric: 'node_cpu_seconds_total', matchers: IDLE, agg: 'count', legend: 'CPU cores' }),
        ],
        unit: 'short',
        min: 0,
        legendCalcs: ['lastNotNull', 'max'],
      }),
    )
    .add(
      12,
      8,
      timeseries({
        title: 'Network errors',
        description: 'Receive and transmit errors per second per interface but lo; transmit below the axis.',
        targets: [
          query('A', {
            metric: 'node_network_receive_errs_total',
            matchers: NO_LOOPBACK,
            fn: 'rate',
            legend: '{{device}} receive',
          }),
          query('B', {
            metric: 'node_network_transmit_errs_total',
            matchers: NO_LOOPBACK,
            fn: 'rate',
            legend: '{{device}} transmit',
          }),
        ],
        unit: 'pps',
        overrides: [negativeY('.* transmit$')],
      }),
    );
}

function remoteRow(grid: Grid) {
  // The panels take the harvester id: $harvester, from harvester_info of the chosen instance.
  grid
    .row('Remote access')
    .add(
      12,
      14,
      remoteDesktop('Remote desktop', {
        harvester: '$harvester',
        viewOnly: false,
        scaling: 'fit',
        quality: 6,
        compression: 2,
        showToolbar: true,
      }),
    )
    .add(12, 14, terminal('Terminal', { harvester: '$harvester', fontSize: 14, viewOnly: false }));
}

export function harvesterDashboard(): Dashboard {
  const grid = new Grid();
  quickRow(grid);
  basicRow(grid);
  diskRow(grid);
  systemRow(grid);
  remoteRow(grid);
  return dashboard({
    uid: HARVESTER_UID,
    title: 'Harvester',
    description:
      "One harvester's metrics, as Node Exporter Full's main rows show them, with its remote desktop and terminal.",
    tags: ['nester', 'harvester', 'node_exporter'],
    variables: [
      queryVariable({ name: 'job', label: 'Job', values: { label: 'job', match: 'node_uname_info' }, current: 'node' }),
      queryVariable({
        name: 'instance',
        label: 'Harvester',
        values: { label: 'instance', match: 'node_uname_info{job="$job"}' },
      }),
      // Pushed series carry harvester_id themselves; a site's own Prometheus scraping the agents
      // has it on harvester_info only. Both have harvester_info: it names the machine by id.
      queryVariable({
        name: 'harvester',
        values: { label: HARVESTER_ID_LABEL, match: `${HARVESTER_INFO_METRIC}{job="$job",instance="$instance"}` },
        hidden: true,
      }),
    ],
    links: [
      link('Fleet overview', FLEET_OVERVIEW_URL, 'Every harvester at a glance'),
      link(
        'Open in the fleet app',
        `${FLEET_APP_HARVESTER_URL}/$harvester`,
        'Facts, sessions and revocation in the Nester app',
      ),
    ],
    panels: grid.build(),
  });
}
