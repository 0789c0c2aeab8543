// Per-CPU packet processing statistics from /proc/net/softnet_stat (one hex row per CPU).

import { counter, type Sample } from '../metrics/family';
import { proc } from '../procfs/paths';
import { fields, lines, readText } from '../procfs/read';
import type { CollectorDefinition } from './collector';

const HEX32 = /^[0-9a-fA-F]{1,8}$/;

export function parseSoftnet(text: string, path: string): number[][] {
  return lines(text).map((line) => {
    const columns = fields(line);
    if (columns.length < 9)
      throw new Error(`${path}: ${columns.length} columns were detected, but at least 9 were expected`);
    return columns.slice(0, 3).map((column) => {
      if (!HEX32.test(column)) throw new Error(`${path}: malformed value "${column}"`);
      return parseInt(column, 16);
    });
  });
}

export const softnet: CollectorDefinition = {
  name: 'softnet',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () => {
      const path = proc(paths, 'net/softnet_stat');
      const processed: Sample[] = [];
      const dropped: Sample[] = [];
      const squeezed: Sample[] = [];
      // node_exporter 1.5.0 labels rows by position, not by the CPU id column of newer kernels.
      parseSoftnet(readText(path), path).forEach(([p, d, s], row) => {
        const labels = { cpu: String(row) };
        processed.push({ labels, value: p });
        dropped.push({ labels, value: d });
        squeezed.push({ labels, value: s });
      });
      return [
        counter('node_softnet_processed_total', 'Number of processed packets', processed),
        counter('node_softnet_dropped_total', 'Number of dropped packets', dropped),
        counter('node_softnet_times_squeezed_total', 'Number of times processing packets ran out of quota', squeezed),
      ];
    },
};
