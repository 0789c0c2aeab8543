// Bytes queued in UDP sockets, summed over /proc/net/udp and /proc/net/udp6.

import { gauge, type Sample } from '../metrics/family';
import { proc } from '../procfs/paths';
import { fields, lines, readOptional } from '../procfs/read';
import { type CollectorDefinition, NoDataError } from './collector';

const HEX = /^[0-9a-fA-F]+$/;

/** Sums the tx_queue:rx_queue column (hex) of a /proc/net/udp{,6} table. */
export function sumUdpQueues(text: string, path: string): { tx: number; rx: number } {
  let tx = 0;
  let rx = 0;
  for (const line of lines(text).slice(1)) {
    const columns = fields(line);
    if (columns.length < 10)
      throw new Error(`cannot parse net socket line in ${path} as it has less then 10 columns: "${line}"`);
    const queues = columns[4].split(':');
    if (queues.length !== 2 || !HEX.test(queues[0]) || !HEX.test(queues[1])) {
      throw new Error(`cannot parse tx/rx queues in ${path}: "${columns[4]}"`);
    }
    tx += parseInt(queues[0], 16);
    rx += parseInt(queues[1], 16);
  }
  return { tx, rx };
}

export const udpQueues: CollectorDefinition = {
  name: 'udp_queues',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () => {
      const samples: Sample[] = [];
      let found = false;
      for (const [file, ip] of [
        ['net/udp', 'v4'],
        ['net/udp6', 'v6'],
      ]) {
        const path = proc(paths, file);
        // A table is absent when its IP version is disabled.
        const text = readOptional(path);
        if (text === undefined) continue;
        found = true;
        const { tx, rx } = sumUdpQueues(text, path);
        samples.push({ labels: { queue: 'tx', ip }, value: tx }, { labels: { queue: 'rx', ip }, value: rx });
      }
      if (!found) throw new NoDataError('neither /proc/net/udp nor /proc/net/udp6 exists');
      return [
        gauge('node_udp_queues', 'Number of allocated memory in the kernel for UDP datagrams in bytes.', samples),
      ];
    },
};
