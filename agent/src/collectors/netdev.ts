// Network interface counters. node_exporter 1.5.0 asks netlink and maps the answer back to
// /proc/net/dev's columns; the kernel prints /proc/net/dev from the same rtnl_link_stats64
// sums, so that file plus sysfs' rx_nohandler (the one counter it lacks) gives equal values.

import { counter, type MetricFamily, type Sample } from '../metrics/family';
import { proc, sys } from '../procfs/paths';
import { fields, lines, parseUint, readNumber, readText } from '../procfs/read';
import { defineCollector } from './collector';
import { deviceFilterFromFlags } from './pattern';

/** /proc/net/dev's columns, in order, under node_exporter's names. */
const COLUMNS = [
  'receive_bytes',
  'receive_packets',
  'receive_errs',
  'receive_drop',
  'receive_fifo',
  'receive_frame',
  'receive_compressed',
  'receive_multicast',
  'transmit_bytes',
  'transmit_packets',
  'transmit_errs',
  'transmit_drop',
  'transmit_fifo',
  'transmit_colls',
  'transmit_carrier',
  'transmit_compressed',
];

export interface NetDevLine {
  device: string;
  values: number[];
}

export function parseNetDev(text: string): NetDevLine[] {
  const devices: NetDevLine[] = [];
  for (const line of lines(text).slice(2)) {
    const colon = line.lastIndexOf(':');
    if (colon < 0) throw new Error(`invalid /proc/net/dev line, missing colon: "${line}"`);
    const device = line.slice(0, colon).trim();
    if (device === '') throw new Error(`invalid /proc/net/dev line, empty interface name: "${line}"`);
    const parts = fields(line.slice(colon + 1));
    if (parts.length < COLUMNS.length) throw new Error(`invalid /proc/net/dev line for ${device}: too few fields`);
    const values = new Array<number>(COLUMNS.length);
    for (let i = 0; i < COLUMNS.length; i++) values[i] = parseUint(parts[i], `/proc/net/dev ${device} ${COLUMNS[i]}`);
    devices.push({ device, values });
  }
  return devices;
}

export const netdev = defineCollector({
  name: 'netdev',
  defaultEnabled: true,
  flags: {
    'collector.netdev.device-include': {
      type: 'string',
      help: 'Regexp of net devices to include (mutually exclusive to device-exclude).',
    },
    'collector.netdev.device-exclude': {
      type: 'string',
      help: 'Regexp of net devices to exclude (mutually exclusive to device-include).',
    },
    'collector.netdev.device-whitelist': {
      type: 'string',
      help: 'DEPRECATED: Use collector.netdev.device-include',
    },
    'collector.netdev.device-blacklist': {
      type: 'string',
      help: 'DEPRECATED: Use collector.netdev.device-exclude',
    },
    'collector.netdev.netlink': {
      type: 'boolean',
      help: 'Report the statistics netlink gives (adds receive_nohandler); false reports /proc/net/dev alone.',
      default: true,
    },
  },
  create: ({ paths, flags }) => {
    const filter = deviceFilterFromFlags(flags, {
      include: 'collector.netdev.device-include',
      exclude: 'collector.netdev.device-exclude',
      oldInclude: 'collector.netdev.device-whitelist',
      oldExclude: 'collector.netdev.device-blacklist',
    });
    const withNohandler = flags['collector.netdev.netlink'];
    return () => {
      const samples = COLUMNS.map((): Sample[] => []);
      const nohandler: Sample[] = [];
      for (const { device, values } of parseNetDev(readText(proc(paths, 'net/dev')))) {
        if (filter.ignored(device)) continue;
        const labels = { device };
        for (let i = 0; i < COLUMNS.length; i++) samples[i].push({ labels, value: values[i] });
        if (withNohandler) {
          const value = readNumber(sys(paths, 'class/net', device, 'statistics/rx_nohandler'));
          if (value !== undefined) nohandler.push({ labels, value });
        }
      }
      const families: MetricFamily[] = COLUMNS.map((column, i) => statistic(column, samples[i]));
      families.push(statistic('receive_nohandler', nohandler));
      return families;
    };
  },
});

function statistic(key: string, samples: Sample[]): MetricFamily {
  return counter(`node_network_${key}_total`, `Network device statistic ${key}.`, samples);
}
