// Compares one scrape of ours, taken between two scrapes of node_exporter, with those two.
// Counters must lie between node_exporter's readings; values that cannot move must be equal;
// values that move by themselves (free memory, load, sockets in use) must be close.

import type { ParsedFamily } from '../../src/exposition/parse';

export interface Difference {
  family: string;
  problem: string;
}

/** Gauges that change on their own between two reads, with the slack we allow. */
const VOLATILE: { pattern: RegExp; absolute: number; relative: number }[] = [
  { pattern: /^node_load(1|5|15)$/, absolute: 1, relative: 0.5 },
  { pattern: /^node_procs_(running|blocked)$/, absolute: 4, relative: 0 },
  {
    pattern: /^node_memory_(?!MemTotal_bytes|SwapTotal_bytes|HugePages_Total|Hugepagesize_bytes|VmallocTotal_bytes)/,
    absolute: 8 << 20,
    relative: 0.05,
  },
  { pattern: /^node_filesystem_(free|avail)_bytes$/, absolute: 64 << 20, relative: 0.001 },
  { pattern: /^node_filesystem_files_free$/, absolute: 2000, relative: 0 },
  { pattern: /^node_sockstat_/, absolute: 50, relative: 0.2 },
  { pattern: /^node_netstat_Tcp_CurrEstab$/, absolute: 10, relative: 0 },
  { pattern: /^node_filefd_allocated$/, absolute: 200, relative: 0 },
  { pattern: /^node_entropy_available_bits$/, absolute: 256, relative: 0 },
  { pattern: /^node_nf_conntrack_entries$/, absolute: 50, relative: 0 },
  { pattern: /^node_udp_queues$/, absolute: 1 << 20, relative: 0 },
  { pattern: /^node_disk_io_now$/, absolute: 8, relative: 0 },
  { pattern: /^node_(hwmon_temp|thermal_zone_temp|power_supply_)/, absolute: 5, relative: 0.1 },
  { pattern: /^node_timex_/, absolute: 1, relative: 0.1 },
  { pattern: /^node_time_seconds$/, absolute: 0, relative: 0 },
];

/** Families whose values are not comparable between two processes at all. */
const SKIP_VALUES = /^node_scrape_collector_duration_seconds$/;

/** The exporters' metrics about themselves, which differ by nature (Go runtime vs Node.js). */
export const OWN_METRICS =
  /^(go_|promhttp_|process_|nodejs_|node_exporter_build_info$|harvester_build_info$|harvester_info$)/;

export function compareScrapes(
  before: Map<string, ParsedFamily>,
  ours: Map<string, ParsedFamily>,
  after: Map<string, ParsedFamily>,
): Difference[] {
  const problems: Difference[] = [];
  const names = (scrape: Map<string, ParsedFamily>) => [...scrape.keys()].filter((name) => !OWN_METRICS.test(name));
  for (const name of names(before)) {
    if (!ours.has(name) && after.has(name)) problems.push({ family: name, problem: 'missing from ours' });
  }
  for (const name of names(ours)) {
    const mine = ours.get(name)!;
    const [first, second] = [before.get(name), after.get(name)];
    if (!first && !second) {
      problems.push({ family: name, problem: 'node_exporter does not emit it' });
      continue;
    }
    const reference = (first ?? second)!;
    if (mine.type !== reference.type)
      problems.push({ family: name, problem: `type ${mine.type}, expected ${reference.type}` });
    if (mine.help !== reference.help)
      problems.push({ family: name, problem: `help "${mine.help}", expected "${reference.help}"` });
    problems.push(...compareSeries(name, mine, first, second));
  }
  return problems;
}

function compareSeries(name: string, mine: ParsedFamily, first?: ParsedFamily, second?: ParsedFamily): Difference[] {
  const problems: Difference[] = [];
  const index = (fam?: ParsedFamily) => new Map((fam?.samples ?? []).map((s) => [key(s.labels), s.value]));
  const [a, b, ours] = [index(first), index(second), index(mine)];
  for (const labels of a.keys()) {
    if (b.has(labels) && !ours.has(labels))
      problems.push({ family: name, problem: `series ${labels} missing from ours` });
  }
  for (const [labels, value] of ours) {
    const [x, y] = [a.get(labels), b.get(labels)];
    if (x === undefined && y === undefined) {
      problems.push({ family: name, problem: `series ${labels} not in node_exporter's output` });
      continue;
    }
    if (SKIP_VALUES.test(name)) continue;
    const low = Math.min(x ?? y!, y ?? x!);
    const high = Math.max(x ?? y!, y ?? x!);
    const volatile = VOLATILE.find(({ pattern }) => pattern.test(name));
    const slack = volatile ? Math.max(volatile.absolute, volatile.relative * Math.abs(high)) : 0;
    const equalNaN = Number.isNaN(value) && (Number.isNaN(low) || Number.isNaN(high));
    if (!equalNaN && !(value >= low - slack && value <= high + slack)) {
      problems.push({ family: name, problem: `${labels} = ${value}, node_exporter read ${x} then ${y}` });
    }
  }
  return problems;
}

function key(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([p], [q]) => (p < q ? -1 : 1)));
}
