import { gauge, type Sample } from '../metrics/family';
import { proc } from '../procfs/paths';
import { fields, lines, readText } from '../procfs/read';
import { defineCollector } from './collector';
import { deviceFilterFromFlags } from './pattern';

/** Entries of /proc/net/arp counted by device (the last column); the header starts with "IP". */
export function countArpEntries(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines(text)) {
    const columns = fields(line);
    if (columns.length < 6) throw new Error(`unexpected ARP table format: "${line}"`);
    if (columns[0] === 'IP') continue;
    const device = columns[columns.length - 1];
    counts.set(device, (counts.get(device) ?? 0) + 1);
  }
  return counts;
}

export const arp = defineCollector({
  name: 'arp',
  defaultEnabled: true,
  flags: {
    'collector.arp.device-include': {
      type: 'string',
      help: 'Regexp of arp devices to include (mutually exclusive to device-exclude).',
    },
    'collector.arp.device-exclude': {
      type: 'string',
      help: 'Regexp of arp devices to exclude (mutually exclusive to device-include).',
    },
  },
  create: ({ paths, flags }) => {
    const filter = deviceFilterFromFlags(flags, {
      include: 'collector.arp.device-include',
      exclude: 'collector.arp.device-exclude',
    });
    return () => {
      const samples: Sample[] = [];
      for (const [device, count] of countArpEntries(readText(proc(paths, 'net/arp')))) {
        if (!filter.ignored(device)) samples.push({ labels: { device }, value: count });
      }
      return [gauge('node_arp_entries', 'ARP entries by device', samples)];
    };
  },
});
