// Connection tracking table size and per-CPU statistics, summed (nf_conntrack loaded).

import { gauge, single } from '../metrics/family';
import { proc } from '../procfs/paths';
import { fields, isNotFound, lines, readText } from '../procfs/read';
import { type CollectorDefinition, NoDataError } from './collector';
import { collectAsYouGo } from './partial';

/** Columns of /proc/net/stat/nf_conntrack node_exporter sums, by position. */
const STATS: [column: number, name: string, help: string][] = [
  [2, 'found', 'Number of searched entries which were successful.'],
  [4, 'invalid', 'Number of packets seen which can not be tracked.'],
  [5, 'ignore', 'Number of packets seen which are already connected to a conntrack entry.'],
  [8, 'insert', 'Number of entries inserted into the list.'],
  [9, 'insert_failed', 'Number of entries for which list insertion was attempted but failed.'],
  [10, 'drop', 'Number of packets dropped due to conntrack failure.'],
  [
    11,
    'early_drop',
    'Number of dropped conntrack entries to make room for new ones, if maximum table size was reached.',
  ],
  [16, 'search_restart', 'Number of conntrack table lookups which had to be restarted due to hashtable resizes.'],
];

const HEX = /^[0-9a-fA-F]{1,16}$/;

/** Per-CPU hexadecimal rows after the header, summed column by column. */
export function parseConntrackStat(text: string, path: string): number[] {
  const sums = new Array<number>(17).fill(0);
  for (const line of lines(text).slice(1)) {
    const parts = fields(line);
    if (parts.length !== 17)
      throw new Error(`failed to read conntrack stats from "${path}": invalid conntrackstat entry, missing fields`);
    for (const [column] of STATS) {
      if (!HEX.test(parts[column]))
        throw new Error(`failed to read conntrack stats from "${path}": couldn't parse "${parts[column]}" field`);
      sums[column] += parseInt(parts[column], 16);
    }
  }
  return sums;
}

function readConntrack(path: string): string {
  try {
    return readText(path);
  } catch (err) {
    if (isNotFound(err)) throw new NoDataError('conntrack probably not loaded');
    throw new Error(`failed to retrieve conntrack stats: ${(err as Error).message}`, { cause: err });
  }
}

function readCount(path: string): number {
  const text = readConntrack(path).trim();
  if (!/^\d+$/.test(text)) throw new Error(`failed to retrieve conntrack stats: malformed ${path}: "${text}"`);
  return Number(text);
}

export const conntrack: CollectorDefinition = {
  name: 'conntrack',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () =>
      collectAsYouGo((out) => {
        const entries = readCount(proc(paths, 'sys/net/netfilter/nf_conntrack_count'));
        out.push(
          gauge(
            'node_nf_conntrack_entries',
            'Number of currently allocated flow entries for connection tracking.',
            single(entries),
          ),
        );
        const limit = readCount(proc(paths, 'sys/net/netfilter/nf_conntrack_max'));
        out.push(gauge('node_nf_conntrack_entries_limit', 'Maximum size of connection tracking table.', single(limit)));
        const statPath = proc(paths, 'net/stat/nf_conntrack');
        const sums = parseConntrackStat(readConntrack(statPath), statPath);
        for (const [column, name, help] of STATS)
          out.push(gauge(`node_nf_conntrack_stat_${name}`, help, single(sums[column])));
      }),
};
