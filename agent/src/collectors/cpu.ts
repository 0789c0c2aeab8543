import { counter, type MetricFamily, type Sample } from '../metrics/family';
import { type Paths, proc, sys } from '../procfs/paths';
import { lines, listDir, parseUint, readAttr, readText } from '../procfs/read';
import { defineCollector } from './collector';

const USER_HZ = 100;
/** Linux's NR_CPUS is at most 8192; a larger number is not a CPU, and would cost a series per gap. */
const MAX_CPUS = 8192;
const MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guest_nice'] as const;
type CpuTimes = Record<(typeof MODES)[number], number>;

/**
 * Per-CPU lines of /proc/stat in seconds, indexed by CPU number. An offline CPU has no line;
 * below the highest online one it reads as zeros, as node_exporter 1.5.0 (procfs) reports it.
 */
export function parseCpuTimes(text: string): CpuTimes[] {
  const cpus: CpuTimes[] = [];
  for (const line of lines(text)) {
    if (!/^cpu\d/.test(line)) continue;
    const [name, ...fields] = line.trim().split(/\s+/);
    if (fields.length < 4) throw new Error(`malformed /proc/stat line: ${line}`);
    const id = parseUint(name.slice(3), `/proc/stat ${name}`);
    if (id >= MAX_CPUS) throw new Error(`/proc/stat names CPU ${id}; Linux supports at most ${MAX_CPUS}`);
    while (cpus.length <= id) cpus.push(zeroTimes());
    MODES.forEach((mode, i) => {
      cpus[id][mode] = fields[i] === undefined ? 0 : parseUint(fields[i], `/proc/stat ${name}`) / USER_HZ;
    });
  }
  return cpus;
}

const zeroTimes = (): CpuTimes => Object.fromEntries(MODES.map((mode) => [mode, 0])) as CpuTimes;

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
    let last: CpuTimes[] = [];
    return () => {
      const current = parseCpuTimes(readText(proc(paths, 'stat')));
      // As node_exporter: a change in the number of CPUs starts every CPU's history afresh.
      if (current.length !== last.length) last = [];
      last = current.map((times, i) => monotonic(last[i], times));
      const seconds: Sample[] = [];
      const guest: Sample[] = [];
      last.forEach((kept, i) => {
        const id = String(i);
        for (const mode of ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'] as const) {
          seconds.push({ labels: { cpu: id, mode }, value: kept[mode] });
        }
        guest.push({ labels: { cpu: id, mode: 'user' }, value: kept.guest });
        guest.push({ labels: { cpu: id, mode: 'nice' }, value: kept.guest_nice });
      });
      const families: MetricFamily[] = [
        counter('node_cpu_seconds_total', 'Seconds the CPUs spent in each mode.', seconds),
      ];
      if (flags['collector.cpu.guest']) {
        families.push(
          counter('node_cpu_guest_seconds_total', 'Seconds the CPUs spent in guests (VMs) for each mode.', guest),
        );
      }
      families.push(...throttles(paths));
      return families;
    };
  },
});

/**
 * Thermal throttle counters, where the CPU driver exposes them (bare-metal Intel). Read as
 * node_exporter 1.5.0 reads them: every cpu<N> directory in glob (lexical) order, skipping those
 * without topology; each thread counts for itself, and the first thread read of a core and of a
 * package gives its value.
 */
function throttles(paths: Paths): MetricFamily[] {
  const core = new Map<string, Sample>();
  const pkg = new Map<string, Sample>();
  const cpuDir = sys(paths, 'devices/system/cpu');
  for (const name of listDir(cpuDir).filter((entry) => /^cpu\d/.test(entry))) {
    const dir = `${cpuDir}/${name}`;
    const packageId = readUint(`${dir}/topology/physical_package_id`);
    const coreId = readUint(`${dir}/topology/core_id`);
    if (packageId === undefined || coreId === undefined) continue;
    const labels = { package: String(packageId), core: String(coreId) };
    const coreKey = `${labels.package}/${labels.core}`;
    if (!core.has(coreKey)) {
      const count = readUint(`${dir}/thermal_throttle/core_throttle_count`);
      if (count !== undefined) core.set(coreKey, { labels, value: count });
    }
    if (!pkg.has(labels.package)) {
      const count = readUint(`${dir}/thermal_throttle/package_throttle_count`);
      if (count !== undefined) pkg.set(labels.package, { labels: { package: labels.package }, value: count });
    }
  }
  return [
    counter('node_cpu_core_throttles_total', 'Number of times this CPU core has been throttled.', [...core.values()]),
    counter('node_cpu_package_throttles_total', 'Number of times this CPU package has been throttled.', [
      ...pkg.values(),
    ]),
  ];
}

/** A sysfs attribute holding an unsigned integer; undefined when absent or not one. */
function readUint(path: string): number | undefined {
  const text = readAttr(path)?.trim();
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}
