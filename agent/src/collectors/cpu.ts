import { counter, type MetricFamily, type Sample } from '../metrics/family';
import { type Paths, proc, sys } from '../procfs/paths';
import { lines, parseUint, readNumber, readText } from '../procfs/read';
import { defineCollector } from './collector';

const USER_HZ = 100;
const MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guest_nice'] as const;
type CpuTimes = Record<(typeof MODES)[number], number>;

/** Per-CPU lines of /proc/stat in seconds, keyed by CPU number. */
export function parseCpuTimes(text: string): Map<string, CpuTimes> {
  const cpus = new Map<string, CpuTimes>();
  for (const line of lines(text)) {
    if (!/^cpu\d/.test(line)) continue;
    const [name, ...fields] = line.trim().split(/\s+/);
    if (fields.length < 4) throw new Error(`malformed /proc/stat line: ${line}`);
    const times = {} as CpuTimes;
    MODES.forEach((mode, i) => {
      times[mode] = fields[i] === undefined ? 0 : parseUint(fields[i], `/proc/stat ${name}`) / USER_HZ;
    });
    cpus.set(name.slice(3), times);
  }
  return cpus;
}

/** Idle dropping by this much means the CPU was unplugged and came back: start afresh. */
const JUMP_BACK_SECONDS = 3;

/**
 * node_exporter keeps the last value of each CPU counter and never lets one go backwards
 * (some kernels report small regressions); a large drop in idle resets the CPU's history.
 */
export function monotonic(previous: CpuTimes | undefined, next: CpuTimes): CpuTimes {
  if (!previous || previous.idle - next.idle >= JUMP_BACK_SECONDS) return next;
  const kept = {} as CpuTimes;
  for (const mode of MODES) kept[mode] = Math.max(previous[mode], next[mode]);
  return kept;
}

export const cpu = defineCollector({
  name: 'cpu',
  defaultEnabled: true,
  flags: {
    'collector.cpu.guest': {
      type: 'boolean',
      help: 'Enables metric node_cpu_guest_seconds_total',
      default: true,
    },
  },
  create: ({ paths, flags }) => {
    const last = new Map<string, CpuTimes>();
    return () => {
      const current = parseCpuTimes(readText(proc(paths, 'stat')));
      for (const id of [...last.keys()]) if (!current.has(id)) last.delete(id);
      const seconds: Sample[] = [];
      const guest: Sample[] = [];
      for (const [id, times] of current) {
        const kept = monotonic(last.get(id), times);
        last.set(id, kept);
        for (const mode of ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'] as const) {
          seconds.push({ labels: { cpu: id, mode }, value: kept[mode] });
        }
        guest.push({ labels: { cpu: id, mode: 'user' }, value: kept.guest });
        guest.push({ labels: { cpu: id, mode: 'nice' }, value: kept.guest_nice });
      }
      const families: MetricFamily[] = [
        counter('node_cpu_seconds_total', 'Seconds the CPUs spent in each mode.', seconds),
      ];
      if (flags['collector.cpu.guest']) {
        families.push(
          counter('node_cpu_guest_seconds_total', 'Seconds the CPUs spent in guests (VMs) for each mode.', guest),
        );
      }
      families.push(...throttles(paths, current.keys()));
      return families;
    };
  },
});

/** Thermal throttle counters, where the CPU driver exposes them (bare-metal Intel). */
function throttles(paths: Paths, cpuIds: Iterable<string>): MetricFamily[] {
  const core = new Map<string, Sample>();
  const pkg = new Map<string, Sample>();
  for (const id of cpuIds) {
    const dir = sys(paths, 'devices/system/cpu', `cpu${id}`);
    const coreCount = readNumber(`${dir}/thermal_throttle/core_throttle_count`);
    if (coreCount === undefined) continue;
    const packageId = String(readNumber(`${dir}/topology/physical_package_id`) ?? 0);
    const coreId = String(readNumber(`${dir}/topology/core_id`) ?? 0);
    core.set(`${packageId}/${coreId}`, { labels: { package: packageId, core: coreId }, value: coreCount });
    const packageCount = readNumber(`${dir}/thermal_throttle/package_throttle_count`);
    if (packageCount !== undefined) pkg.set(packageId, { labels: { package: packageId }, value: packageCount });
  }
  return [
    counter('node_cpu_core_throttles_total', 'Number of times this CPU core has been throttled.', [...core.values()]),
    counter('node_cpu_package_throttles_total', 'Number of times this CPU package has been throttled.', [
      ...pkg.values(),
    ]),
  ];
}
