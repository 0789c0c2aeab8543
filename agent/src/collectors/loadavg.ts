import { gauge, single } from '../metrics/family';
import { proc } from '../procfs/paths';
import { readText } from '../procfs/read';
import type { CollectorDefinition } from './collector';

export const loadavg: CollectorDefinition = {
  name: 'loadavg',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () => {
      const fields = readText(proc(paths, 'loadavg')).trim().split(/\s+/);
      const loads = fields.slice(0, 3).map(Number);
      if (loads.length !== 3 || loads.some((value) => !Number.isFinite(value))) {
        throw new Error(`malformed ${proc(paths, 'loadavg')}`);
      }
      return [
        gauge('node_load1', '1m load average.', single(loads[0])),
        gauge('node_load5', '5m load average.', single(loads[1])),
        gauge('node_load15', '15m load average.', single(loads[2])),
      ];
    },
};
