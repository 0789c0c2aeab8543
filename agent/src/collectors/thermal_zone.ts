// Thermal zones and cooling devices from /sys/class/thermal.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gauge, type MetricFamily, type Sample } from '../metrics/family';
import { sys } from '../procfs/paths';
import { readText } from '../procfs/read';
import { type CollectorDefinition, NoDataError } from './collector';
import { collectAsYouGo } from './partial';

/** Entries matching `<prefix>[0-9]*`, sorted as Go's filepath.Glob sorts them. */
function glob(dir: string, prefix: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.startsWith(prefix) && /[0-9]/.test(name.charAt(prefix.length)))
      .sort();
  } catch {
    // Glob reports no matches, not an error, for a missing directory.
    return [];
  }
}

/** What procfs' SysReadFile returns: at most 128 bytes, trimmed; errors propagate. */
function readTrimmed(path: string): string {
  const text = readText(path);
  return (text.length > 128 ? text.slice(0, 128) : text).trim();
}

function parseInt64(text: string, path: string): number {
  if (!/^[-+]?\d+$/.test(text)) throw new Error(`strconv.ParseInt: parsing "${text}" in ${path}: invalid syntax`);
  return Number(text);
}

/** node_exporter treats a missing, forbidden or invalid sysfs file as "no data" here. */
function noDataOrRethrow(err: unknown): never {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EINVAL') {
    throw new NoDataError(`Could not read thermal zone stats: ${(err as Error).message}`);
  }
  throw err;
}

interface Zone {
  name: string;
  type: string;
  temp: number;
}

function readZones(root: string): Zone[] {
  const zones: Zone[] = [];
  for (const entry of glob(root, 'thermal_zone')) {
    const dir = join(root, entry);
    try {
      const type = readTrimmed(join(dir, 'type'));
      readTrimmed(join(dir, 'policy'));
      const tempPath = join(dir, 'temp');
      const temp = parseInt64(readText(tempPath).trim(), tempPath);
      zones.push({ name: entry.slice('thermal_zone'.length), type, temp });
    } catch (err) {
      // A sensor that has no reading right now (ENODATA) is left out, as procfs does.
      if ((err as NodeJS.ErrnoException).code === 'ENODATA') continue;
      noDataOrRethrow(err);
    }
  }
  return zones;
}

export const thermalZone: CollectorDefinition = {
  name: 'thermal_zone',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () =>
      collectAsYouGo((out: MetricFamily[]) => {
        const root = sys(paths, 'class/thermal');
        const temps: Sample[] = readZones(root).map((zone) => ({
          labels: { zone: zone.name, type: zone.type },
          value: zone.temp / 1000,
        }));
        out.push(gauge('node_thermal_zone_temp', 'Zone temperature in Celsius', temps));

        const cur: Sample[] = [];
        const max: Sample[] = [];
        try {
          for (const entry of glob(root, 'cooling_device')) {
            const dir = join(root, entry);
            const labels = { name: entry.slice('cooling_device'.length), type: readTrimmed(join(dir, 'type')) };
            const maxState = parseInt64(readTrimmed(join(dir, 'max_state')), join(dir, 'max_state'));
            // cur_state may be -1 (intel_powerclamp).
            const curState = parseInt64(readTrimmed(join(dir, 'cur_state')), join(dir, 'cur_state'));
            cur.push({ labels, value: curState });
            max.push({ labels, value: maxState });
          }
        } catch (err) {
          noDataOrRethrow(err);
        }
        out.push(
          gauge('node_cooling_device_cur_state', 'Current throttle state of the cooling device', cur),
          gauge('node_cooling_device_max_state', 'Maximum throttle state of the cooling device', max),
        );
      }),
};
