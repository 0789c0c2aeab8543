// The system clock, the time zone, and the kernel's clock sources.

import { gauge, single, type Sample } from '../metrics/family';
import { sys } from '../procfs/paths';
import { fields, readSysfs } from '../procfs/read';
import { readdirSync } from 'node:fs';
import type { CollectorDefinition } from './collector';
import { localZone } from './timezone';

export interface ClockSource {
  available: string[];
  current: string;
}

/** clocksource<N> directories in glob (lexical) order, as node_exporter numbers them. */
export function readClockSources(dir: string): ClockSource[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => /^clocksource\d/.test(name))
      .sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const read = (file: string) => {
      const value = readSysfs(`${dir}/${name}/${file}`);
      if (value === undefined) throw new Error(`couldn't get clocksources: cannot read ${dir}/${name}/${file}`);
      return value;
    };
    return { available: fields(read('available_clocksource')), current: read('current_clocksource') };
  });
}

export const time: CollectorDefinition = {
  name: 'time',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () => {
      const nowMs = Date.now();
      const zone = localZone(Math.floor(nowMs / 1000));
      const available: Sample[] = [];
      const current: Sample[] = [];
      readClockSources(sys(paths, 'devices/system/clocksource')).forEach((source, i) => {
        const device = String(i);
        for (const clocksource of source.available) available.push({ labels: { device, clocksource }, value: 1 });
        current.push({ labels: { device, clocksource: source.current }, value: 1 });
      });
      return [
        gauge('node_time_seconds', 'System time in seconds since epoch (1970).', single(nowMs / 1000)),
        gauge('node_time_zone_offset_seconds', 'System time zone offset in seconds.', [
          { labels: { time_zone: zone.name }, value: zone.offsetSeconds },
        ]),
        gauge(
          'node_time_clocksource_available_info',
          "Available clocksources read from '/sys/devices/system/clocksource'.",
          available,
        ),
        gauge(
          'node_time_clocksource_current_info',
          "Current clocksource read from '/sys/devices/system/clocksource'.",
          current,
        ),
      ];
    },
};
