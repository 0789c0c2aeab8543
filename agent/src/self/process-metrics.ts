// The agent's metrics about its own process, under the names node_exporter's Go client uses
// (dashboards such as Node Exporter Full read process_*), plus the Node.js heap in place of
// go_*. Read from /proc/self, like the Go client's process collector.

import { readdirSync, readFileSync } from 'node:fs';
import { counter, gauge, type MetricFamily, single } from '../metrics/family';

const TICKS_PER_SECOND = 100;
const PAGE_SIZE = 4096;

export function processFamilies(version: string): MetricFamily[] {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime, startTicks, vsize, rssPages] = [11, 12, 19, 20, 21].map((i) => Number(fields[i]));
  const limits = readFileSync('/proc/self/limits', 'latin1');
  const heap = process.memoryUsage();
  return [
    counter(
      'process_cpu_seconds_total',
      'Total user and system CPU time spent in seconds.',
      single((utime + stime) / TICKS_PER_SECOND),
    ),
    gauge('process_open_fds', 'Number of open file descriptors.', single(readdirSync('/proc/self/fd').length - 1)),
    gauge('process_max_fds', 'Maximum number of open file descriptors.', single(limit(limits, 'Max open files'))),
    gauge('process_virtual_memory_bytes', 'Virtual memory size in bytes.', single(vsize)),
    gauge(
      'process_virtual_memory_max_bytes',
      'Maximum amount of virtual memory available in bytes.',
      single(limit(limits, 'Max address space')),
    ),
    gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', single(rssPages * PAGE_SIZE)),
    gauge(
      'process_start_time_seconds',
      'Start time of the process since unix epoch in seconds.',
      single(bootTime() + startTicks / TICKS_PER_SECOND),
    ),
    gauge('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', single(heap.heapTotal)),
    gauge('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', single(heap.heapUsed)),
    gauge('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.', single(heap.external)),
    gauge(
      'harvester_build_info',
      "A metric with a constant '1' value labeled by the harvester version and the Node.js version it runs on.",
      [{ labels: { version, nodeversion: process.versions.node }, value: 1 }],
    ),
  ];
}

/** A soft limit from /proc/self/limits; unlimited reads as 2^64-1 (as float64: 2^64), as in Go's procfs. */
function limit(limits: string, name: string): number {
  const line = limits.split('\n').find((row) => row.startsWith(name));
  const soft = line?.slice(name.length).trim().split(/\s+/)[0];
  return soft === undefined || soft === 'unlimited' ? 2 ** 64 : Number(soft);
}

function bootTime(): number {
  const match = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'));
  return match ? Number(match[1]) : 0;
}
