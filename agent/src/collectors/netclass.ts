// Interface properties from /sys/class/net/<iface>/: link state, MTU, speed and the
// identifiers the kernel exposes, as node_exporter's sysfs-based netclass collector reads them.

import { readdirSync } from 'node:fs';
import { counter, gauge, type MetricFamily, type Sample } from '../metrics/family';
import { sys } from '../procfs/paths';
import { isNotFound, parseGoInt, readSysfs } from '../procfs/read';
import { defineCollector, NoDataError } from './collector';
import { compilePattern } from './pattern';

/** Numeric attributes: file name, metric name (node_network_<name>), counter or gauge. */
const PROPERTIES: [file: string, metric: string, isCounter?: boolean][] = [
  ['addr_assign_type', 'address_assign_type'],
  ['carrier', 'carrier'],
  ['carrier_changes', 'carrier_changes_total', true],
  ['carrier_up_count', 'carrier_up_changes_total', true],
  ['carrier_down_count', 'carrier_down_changes_total', true],
  ['dev_id', 'device_id'],
  ['dormant', 'dormant'],
  ['flags', 'flags'],
  ['ifindex', 'iface_id'],
  ['iflink', 'iface_link'],
  ['link_mode', 'iface_link_mode'],
  ['mtu', 'mtu_bytes'],
  ['name_assign_type', 'name_assign_type'],
  ['netdev_group', 'net_dev_group'],
  ['tx_queue_len', 'transmit_queue_length'],
  ['type', 'protocol_type'],
];

/** Interface directories: /sys/class/net holds symlinks, plus the bonding_masters file. */
function listInterfaces(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => !entry.isFile())
      .map((entry) => entry.name);
  } catch (err) {
    if (isNotFound(err) || (err as NodeJS.ErrnoException).code === 'EACCES') {
      throw new NoDataError(`cannot access dir ${dir}: ${(err as Error).message}`);
    }
    throw err;
  }
}

export const netclass = defineCollector({
  name: 'netclass',
  defaultEnabled: true,
  flags: {
    'collector.netclass.ignored-devices': {
      type: 'string',
      help: 'Regexp of net devices to ignore for netclass collector.',
      default: '^$',
    },
    'collector.netclass.ignore-invalid-speed': {
      type: 'boolean',
      help: 'Ignore devices where the speed is invalid. This will be the default behavior in 2.x.',
      default: false,
    },
  },
  create: ({ paths, flags }) => {
    const ignored = compilePattern('collector.netclass.ignored-devices', flags['collector.netclass.ignored-devices']);
    const ignoreInvalidSpeed = flags['collector.netclass.ignore-invalid-speed'];
    const root = sys(paths, 'class/net');

    return () => {
      const up: Sample[] = [];
      const info: Sample[] = [];
      const speed: Sample[] = [];
      const properties = PROPERTIES.map((): Sample[] => []);
      for (const device of listInterfaces(root)) {
        if (ignored.test(device)) continue;
        const dir = `${root}/${device}/`;
        const operstate = readSysfs(`${dir}operstate`);
        up.push({ labels: { device }, value: operstate === 'up' ? 1 : 0 });
        info.push({
          labels: {
            device,
            address: readSysfs(`${dir}address`) ?? '',
            broadcast: readSysfs(`${dir}broadcast`) ?? '',
            duplex: readSysfs(`${dir}duplex`) ?? '',
            operstate: operstate ?? '',
            ifalias: readSysfs(`${dir}ifalias`) ?? '',
          },
          value: 1,
        });
        PROPERTIES.forEach(([file], i) => {
          const value = numeric(`${dir}${file}`);
          if (value !== undefined) properties[i].push({ labels: { device }, value });
        });
        const mbps = numeric(`${dir}speed`);
        // Some drivers report -1 when the speed is unknown; 1.5.0 still exports it unless told not to.
        if (mbps !== undefined && (mbps >= 0 || !ignoreInvalidSpeed)) {
          speed.push({ labels: { device }, value: Math.trunc((mbps * 1000 * 1000) / 8) });
        }
      }
      const families: MetricFamily[] = [
        gauge('node_network_up', "Value is 1 if operstate is 'up', 0 otherwise.", up),
        gauge('node_network_info', 'Non-numeric data from /sys/class/net/<iface>, value is always 1.', info),
        property('speed_bytes', speed),
      ];
      PROPERTIES.forEach(([, metric, isCounter], i) => families.push(property(metric, properties[i], isCounter)));
      return families;
    };
  },
});

function numeric(path: string): number | undefined {
  const text = readSysfs(path);
  return text === undefined ? undefined : parseGoInt(text);
}

function property(name: string, samples: Sample[], isCounter = false): MetricFamily {
  return (isCounter ? counter : gauge)(`node_network_${name}`, `Network device property: ${name}`, samples);
}
