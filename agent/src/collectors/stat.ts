import { counter, gauge, single } from '../metrics/family';
import { proc } from '../procfs/paths';
import { lines, parseUint, readText } from '../procfs/read';
import { defineCollector } from './collector';

const SOFTIRQ_NAMES = [
  'hi',
  'timer',
  'net_tx',
  'net_rx',
  'block',
  'block_iopoll',
  'tasklet',
  'sched',
  'hrtimer',
  'rcu',
];

export interface KernelStat {
  bootTime: number;
  contextSwitches: number;
  forks: number;
  interrupts: number;
  procsRunning: number;
  procsBlocked: number;
  softirqs: number[];
}

export function parseStat(text: string): KernelStat {
  const stat: Partial<KernelStat> = {};
  for (const line of lines(text)) {
    const [key, ...values] = line.trim().split(/\s+/);
    const first = () => parseUint(values[0] ?? '', `/proc/stat ${key}`);
    switch (key) {
      case 'btime':
        stat.bootTime = first();
        break;
      case 'ctxt':
        stat.contextSwitches = first();
        break;
      case 'processes':
        stat.forks = first();
        break;
      case 'intr':
        stat.interrupts = first();
        break;
      case 'procs_running':
        stat.procsRunning = first();
        break;
      case 'procs_blocked':
        stat.procsBlocked = first();
        break;
      case 'softirq':
        stat.softirqs = values.map((value) => parseUint(value, '/proc/stat softirq'));
        break;
    }
  }
  const required = [
    ['bootTime', 'btime'],
    ['contextSwitches', 'ctxt'],
    ['forks', 'processes'],
    ['interrupts', 'intr'],
    ['procsRunning', 'procs_running'],
    ['procsBlocked', 'procs_blocked'],
  ] as const;
  for (const [field, line] of required) {
    if (stat[field] === undefined) throw new Error(`/proc/stat lacks the ${line} line`);
  }
  return { softirqs: [], ...stat } as KernelStat;
}

export const stat = defineCollector({
  name: 'stat',
  defaultEnabled: true,
  flags: {
    'collector.stat.softirq': { type: 'boolean', help: 'Export softirq calculation metrics.', default: false },
  },
  create:
    ({ paths, flags }) =>
    () => {
      const s = parseStat(readText(proc(paths, 'stat')));
      const families = [
        counter('node_intr_total', 'Total number of interrupts serviced.', single(s.interrupts)),
        counter('node_context_switches_total', 'Total number of context switches.', single(s.contextSwitches)),
        counter('node_forks_total', 'Total number of forks.', single(s.forks)),
        gauge('node_boot_time_seconds', 'Node boot time, in unixtime.', single(s.bootTime)),
        gauge('node_procs_running', 'Number of processes in runnable state.', single(s.procsRunning)),
        gauge('node_procs_blocked', 'Number of processes blocked waiting for I/O to complete.', single(s.procsBlocked)),
      ];
      if (flags['collector.stat.softirq']) {
        families.push(
          counter(
            'node_softirqs_total',
            'Number of softirq calls.',
            SOFTIRQ_NAMES.map((vector, i) => ({ labels: { vector }, value: s.softirqs[i + 1] ?? 0 })),
          ),
        );
      }
      return families;
    },
});
