import { family, type MetricFamily, single } from '../metrics/family';
import { proc } from '../procfs/paths';
import { lines, readText } from '../procfs/read';
import type { CollectorDefinition } from './collector';

/** /proc/meminfo as node_exporter names it: `Active(anon):  12 kB` → `node_memory_Active_anon_bytes`. */
export function parseMeminfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of lines(text)) {
    const parts = line.trim().split(/\s+/);
    if (parts[0] === '') continue;
    const value = Number(parts[1]);
    if (parts.length < 2 || parts[1] === '' || !Number.isFinite(value))
      throw new Error(`invalid value in meminfo: ${line}`);
    const key = parts[0].replace(/:$/, '').replace(/\((.*)\)/, '_$1');
    if (parts.length === 3) fields.set(`${key}_bytes`, value * 1024);
    else if (parts.length === 2) fields.set(key, value);
    else throw new Error(`invalid line in meminfo: ${line}`);
  }
  return fields;
}

export const meminfo: CollectorDefinition = {
  name: 'meminfo',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () => {
      const families: MetricFamily[] = [];
      for (const [key, value] of parseMeminfo(readText(proc(paths, 'meminfo')))) {
        const type = key.endsWith('_total') ? 'counter' : 'gauge';
        families.push(family(`node_memory_${key}`, type, `Memory information field ${key}.`, single(value)));
      }
      return families;
    },
};
