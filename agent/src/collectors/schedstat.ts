// Scheduler statistics per CPU from /proc/schedstat (CONFIG_SCHEDSTATS).

import { counter, type Sample } from '../metrics/family';
import { proc } from '../procfs/paths';
import { isNotFound, lines, readText } from '../procfs/read';
import { type CollectorDefinition, NoDataError } from './collector';

const CPU_LINE = /cpu(\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)/;

export interface SchedCpu {
  cpu: string;
  runningNs: number;
  waitingNs: number;
  timeslices: number;
}

export function parseSchedstat(text: string): SchedCpu[] {
  const cpus: SchedCpu[] = [];
  for (const line of lines(text)) {
    const match = CPU_LINE.exec(line);
    if (!match) continue;
    cpus.push({
      cpu: match[1],
      runningNs: Number(match[8]),
      waitingNs: Number(match[9]),
      timeslices: Number(match[10]),
    });
  }
  return cpus;
}

export const schedstat: CollectorDefinition = {
  name: 'schedstat',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () => {
      let text: string;
      try {
        text = readText(proc(paths, 'schedstat'));
      } catch (err) {
        if (isNotFound(err)) throw new NoDataError('schedstat file does not exist');
        throw err;
      }
      const running: Sample[] = [];
      const waiting: Sample[] = [];
      const timeslices: Sample[] = [];
      for (const cpu of parseSchedstat(text)) {
        const labels = { cpu: cpu.cpu };
        running.push({ labels, value: cpu.runningNs / 1e9 });
        waiting.push({ labels, value: cpu.waitingNs / 1e9 });
        timeslices.push({ labels, value: cpu.timeslices });
      }
      return [
        counter('node_schedstat_running_seconds_total', 'Number of seconds CPU spent running a process.', running),
        counter(
          'node_schedstat_waiting_seconds_total',
          'Number of seconds spent by processing waiting for this CPU.',
          waiting,
        ),
        counter('node_schedstat_timeslices_total', 'Number of timeslices executed by CPU.', timeslices),
      ];
    },
};
