// Health samples for the Fleet and Harvester pages: a real agent's scrape of this machine, or
// made-up figures for simulated machines, each series labelled with a harvester_id, the label
// every pushed sample carries (until the agent adds it itself, tests add it).
import { TimeSeries } from '@nester/common/prompb/types';

import { series } from './adapter';

const HEALTH_METRICS =
  /^node_(cpu_seconds_total|memory_MemAvailable_bytes|memory_MemTotal_bytes|filesystem_(size|free|avail)_bytes|load1|boot_time_seconds|time_seconds)$/;

/** The health metrics of a text exposition, as series at `timestamp` with `extra` labels added. */
export function healthSeries(exposition: string, extra: Record<string, string>, timestamp: number): TimeSeries[] {
  const out: TimeSeries[] = [];
  for (const line of exposition.split('\n')) {
    const found = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!found || !HEALTH_METRICS.test(found[1])) {
      continue;
    }
    const labels: Record<string, string> = {};
    for (const pair of (found[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]] = pair[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    out.push(series(found[1], { ...labels, ...extra }, [[timestamp, Number(found[3])]]));
  }
  return out;
}

export interface SimulatedHealth {
  cpuPercent: number;
  cpus: number;
  memoryPercent: number;
  diskPercent: number;
  load1: number;
}

const GIB = 1024 ** 3;

/**
 * A simulated machine's samples every `stepMs` over [from, to]: counters and gauges that give
 * exactly these figures (disk with no reserved blocks, so df's percent is the figure).
 */
export function simulatedSeries(id: string, figures: SimulatedHealth, from: number, to: number, stepMs: number) {
  const times: number[] = [];
  for (let t = from; t <= to; t += stepMs) {
    times.push(t);
  }
  const labels = { harvester_id: id, job: 'harvester', instance: `${id}:9100` };
  const gauge = (name: string, value: number, more: Record<string, string> = {}) =>
    series(
      name,
      { ...labels, ...more },
      times.map((t) => [t, value] as [number, number]),
    );
  const idlePerSecond = 1 - figures.cpuPercent / 100;
  const disk = { device: '/dev/vda1', fstype: 'ext4', mountpoint: '/' };
  return [
    ...Array.from({ length: figures.cpus }, (_, cpu) =>
      series(
        'node_cpu_seconds_total',
        { ...labels, cpu: String(cpu), mode: 'idle' },
        times.map((t) => [t, ((t - from) / 1000) * idlePerSecond] as [number, number]),
      ),
    ),
    gauge('node_memory_MemTotal_bytes', 8 * GIB),
    gauge('node_memory_MemAvailable_bytes', 8 * GIB * (1 - figures.memoryPercent / 100)),
    gauge('node_filesystem_size_bytes', 100 * GIB, disk),
    gauge('node_filesystem_free_bytes', 100 * GIB * (1 - figures.diskPercent / 100), disk),
    gauge('node_filesystem_avail_bytes', 100 * GIB * (1 - figures.diskPercent / 100), disk),
    gauge('node_load1', figures.load1),
    gauge('node_boot_time_seconds', Math.floor(from / 1000) - 86400),
    series(
      'node_time_seconds',
      labels,
      times.map((t) => [t, t / 1000] as [number, number]),
    ),
  ];
}
