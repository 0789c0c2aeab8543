// Pressure stall information (Linux >= 4.20 with CONFIG_PSI): cumulative stall time.

import { counter, type MetricFamily, single } from '../metrics/family';
import { proc } from '../procfs/paths';
import { isNotFound, lines, readText } from '../procfs/read';
import { type CollectorDefinition, NoDataError } from './collector';
import { collectAsYouGo } from './partial';

export interface PsiTotals {
  some?: number;
  full?: number;
}

const LINE = /^(some|full) avg10=([\d.]+) avg60=([\d.]+) avg300=([\d.]+) total=(\d+)/;

/** The `total=` microseconds of the some/full lines; other lines are ignored as procfs does. */
export function parsePsi(text: string, path: string): PsiTotals {
  const totals: PsiTotals = {};
  for (const line of lines(text)) {
    const kind = line.slice(0, line.indexOf(' '));
    if (kind !== 'some' && kind !== 'full') continue;
    const match = LINE.exec(line);
    if (!match) throw new Error(`malformed line in ${path}: "${line}"`);
    totals[kind] = Number(match[5]);
  }
  return totals;
}

const seconds = (micros: number) => micros / 1000 / 1000;

export const pressure: CollectorDefinition = {
  name: 'pressure',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () =>
      collectAsYouGo((out) => {
        const read = (resource: string): PsiTotals => {
          const path = proc(paths, 'pressure', resource);
          let text: string;
          try {
            text = readText(path);
          } catch (err) {
            if (isNotFound(err)) {
              throw new NoDataError(
                'pressure information is unavailable, you need a Linux kernel >= 4.20 and/or CONFIG_PSI enabled for your kernel',
              );
            }
            throw new Error(`failed to retrieve pressure stats: ${(err as Error).message}`, { cause: err });
          }
          return parsePsi(text, path);
        };
        const total = (value: number | undefined, what: string) => {
          if (value === undefined) throw new Error(`failed to retrieve pressure stats: no ${what} line`);
          return single(seconds(value));
        };
        const add = (family: MetricFamily) => out.push(family);

        const cpu = read('cpu');
        add(
          counter(
            'node_pressure_cpu_waiting_seconds_total',
            'Total time in seconds that processes have waited for CPU time',
            total(cpu.some, 'cpu some'),
          ),
        );
        const io = read('io');
        add(
          counter(
            'node_pressure_io_waiting_seconds_total',
            'Total time in seconds that processes have waited due to IO congestion',
            total(io.some, 'io some'),
          ),
        );
        add(
          counter(
            'node_pressure_io_stalled_seconds_total',
            'Total time in seconds no process could make progress due to IO congestion',
            total(io.full, 'io full'),
          ),
        );
        const memory = read('memory');
        add(
          counter(
            'node_pressure_memory_waiting_seconds_total',
            'Total time in seconds that processes have waited for memory',
            total(memory.some, 'memory some'),
          ),
        );
        add(
          counter(
            'node_pressure_memory_stalled_seconds_total',
            'Total time in seconds no process could make progress due to memory congestion',
            total(memory.full, 'memory full'),
          ),
        );
      }),
};
