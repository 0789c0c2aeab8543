// CPU frequencies from /sys/devices/system/cpu/cpu<N>/cpufreq (kHz in sysfs, Hz exported).

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gauge, type Sample } from '../metrics/family';
import { sys } from '../procfs/paths';
import { isNotFound, readText } from '../procfs/read';
import type { CollectorDefinition } from './collector';

const FREQUENCIES: [file: string, metric: string, help: string][] = [
  ['cpuinfo_cur_freq', 'frequency_hertz', 'Current cpu thread frequency in hertz.'],
  ['cpuinfo_min_freq', 'frequency_min_hertz', 'Minimum cpu thread frequency in hertz.'],
  ['cpuinfo_max_freq', 'frequency_max_hertz', 'Maximum cpu thread frequency in hertz.'],
  ['scaling_cur_freq', 'scaling_frequency_hertz', 'Current scaled CPU thread frequency in hertz.'],
  ['scaling_min_freq', 'scaling_frequency_min_hertz', 'Minimum scaled CPU thread frequency in hertz.'],
  ['scaling_max_freq', 'scaling_frequency_max_hertz', 'Maximum scaled CPU thread frequency in hertz.'],
];

/** Files procfs 0.8.0 requires in every cpufreq directory; one missing fails the collector. */
const REQUIRED = [
  'scaling_available_governors',
  'scaling_driver',
  'scaling_governor',
  'related_cpus',
  'scaling_setspeed',
];

/** A kHz attribute; undefined when absent or unreadable by this user (cpuinfo_cur_freq is 0400). */
function readKhz(path: string): number | undefined {
  let text: string;
  try {
    text = readText(path).trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (isNotFound(err) || code === 'EACCES' || code === 'EPERM') return undefined;
    throw err;
  }
  if (!/^\d+$/.test(text)) throw new Error(`malformed ${path}: "${text}"`);
  return Number(text);
}

export const cpufreq: CollectorDefinition = {
  name: 'cpufreq',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () => {
      const root = sys(paths, 'devices/system/cpu');
      let cpus: string[];
      try {
        cpus = readdirSync(root).filter((name) => /^cpu[0-9]/.test(name));
      } catch (err) {
        if (isNotFound(err)) cpus = [];
        else throw err;
      }
      const samples = FREQUENCIES.map((): Sample[] => []);
      for (const name of cpus) {
        const dir = join(root, name, 'cpufreq');
        try {
          statSync(dir);
        } catch (err) {
          if (isNotFound(err)) continue;
          throw err;
        }
        const values = FREQUENCIES.map(([file]) => readKhz(join(dir, file)));
        for (const file of REQUIRED) readText(join(dir, file));
        const labels = { cpu: name.slice(3) };
        values.forEach((khz, i) => {
          if (khz !== undefined) samples[i].push({ labels, value: khz * 1000 });
        });
      }
      return FREQUENCIES.map(([, metric, help], i) => gauge(`node_cpu_${metric}`, help, samples[i]));
    },
};
