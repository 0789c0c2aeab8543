// Block device I/O statistics from /proc/diskstats, with the udev properties node_exporter
// attaches as info metrics (/run/udev/data/b<major>:<minor>).

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { counter, gauge, type MetricFamily, type Sample } from '../metrics/family';
import { proc } from '../procfs/paths';
import { fields, lines, parseFloat64, parseUint, readOptional, readText } from '../procfs/read';
import { defineCollector } from './collector';
import { deviceFilterFromFlags } from './pattern';

const DEFAULT_EXCLUDE = '^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$';
const SECTOR_BYTES = 512;
const MS = 0.001;

interface StatDesc {
  name: string;
  help: string;
  gauge?: boolean;
  factor?: number;
}

/** The columns after major, minor and name, in /proc/diskstats order. */
const STATS: StatDesc[] = [
  { name: 'reads_completed_total', help: 'The total number of reads completed successfully.' },
  { name: 'reads_merged_total', help: 'The total number of reads merged.' },
  { name: 'read_bytes_total', help: 'The total number of bytes read successfully.', factor: SECTOR_BYTES },
  { name: 'read_time_seconds_total', help: 'The total number of seconds spent by all reads.', factor: MS },
  { name: 'writes_completed_total', help: 'The total number of writes completed successfully.' },
  { name: 'writes_merged_total', help: 'The number of writes merged.' },
  { name: 'written_bytes_total', help: 'The total number of bytes written successfully.', factor: SECTOR_BYTES },
  { name: 'write_time_seconds_total', help: 'This is the total number of seconds spent by all writes.', factor: MS },
  { name: 'io_now', help: 'The number of I/Os currently in progress.', gauge: true },
  { name: 'io_time_seconds_total', help: 'Total seconds spent doing I/Os.', factor: MS },
  { name: 'io_time_weighted_seconds_total', help: 'The weighted # of seconds spent doing I/Os.', factor: MS },
  { name: 'discards_completed_total', help: 'The total number of discards completed successfully.' },
  { name: 'discards_merged_total', help: 'The total number of discards merged.' },
  { name: 'discarded_sectors_total', help: 'The total number of sectors discarded successfully.' },
  {
    name: 'discard_time_seconds_total',
    help: 'This is the total number of seconds spent by all discards.',
    factor: MS,
  },
  { name: 'flush_requests_total', help: 'The total number of flush requests completed successfully' },
  {
    name: 'flush_requests_time_seconds_total',
    help: 'This is the total number of seconds spent by all flush requests.',
    factor: MS,
  },
];

const ATA_STATS: [property: string, name: string, help: string][] = [
  ['ID_ATA_WRITE_CACHE', 'ata_write_cache', 'ATA disk has a write cache.'],
  ['ID_ATA_WRITE_CACHE_ENABLED', 'ata_write_cache_enabled', 'ATA disk has its write cache enabled.'],
  ['ID_ATA_ROTATION_RATE_RPM', 'ata_rotation_rate_rpm', 'ATA disk rotation rate in RPMs (0 for SSDs).'],
];

export interface DiskLine {
  major: string;
  minor: string;
  device: string;
  /** The statistics present on the line (14 to 17 of them, depending on the kernel). */
  stats: number[];
}

/** /proc/diskstats as procfs parses it: lines with fewer than 14 fields are skipped. */
export function parseDiskstats(text: string): DiskLine[] {
  const disks: DiskLine[] = [];
  for (const line of lines(text)) {
    const parts = fields(line);
    if (parts.length < 14) continue;
    const [major, minor, device] = parts;
    parseUint(major, `/proc/diskstats major number of ${device}`);
    parseUint(minor, `/proc/diskstats minor number of ${device}`);
    const count = Math.min(parts.length - 3, STATS.length);
    const stats = new Array<number>(count);
    for (let i = 0; i < count; i++) stats[i] = parseUint(parts[i + 3], `/proc/diskstats field of ${device}`);
    disks.push({ major, minor, device, stats });
  }
  return disks;
}

/** The `E:KEY=value` device properties of a udev database entry. */
export function parseUdevProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of lines(text)) {
    if (!line.startsWith('E:')) continue;
    const eq = line.indexOf('=');
    if (eq > 0) props.set(line.slice(2, eq), line.slice(eq + 1));
  }
  return props;
}

const NO_PROPS = new Map<string, string>();

export const diskstats = defineCollector({
  name: 'diskstats',
  defaultEnabled: true,
  flags: {
    'collector.diskstats.device-exclude': {
      type: 'string',
      help: 'Regexp of diskstats devices to exclude (mutually exclusive to device-include).',
      default: DEFAULT_EXCLUDE,
    },
    'collector.diskstats.device-include': {
      type: 'string',
      help: 'Regexp of diskstats devices to include (mutually exclusive to device-exclude).',
    },
    'collector.diskstats.ignored-devices': {
      type: 'string',
      help: 'DEPRECATED: Use collector.diskstats.device-exclude',
    },
  },
  create: ({ paths, flags, log }) => {
    const filter = deviceFilterFromFlags(flags, {
      include: 'collector.diskstats.device-include',
      exclude: 'collector.diskstats.device-exclude',
      oldExclude: 'collector.diskstats.ignored-devices',
      defaultExclude: DEFAULT_EXCLUDE,
    });
    const udev = isDirectory(paths.udevData);
    if (!udev)
      log.warn(
        { path: paths.udevData },
        'cannot open the udev data directory; disk info labels from udev are disabled',
      );
    const udevProperties = (disk: DiskLine) => {
      if (!udev) return NO_PROPS;
      const text = readOptional(join(paths.udevData, `b${disk.major}:${disk.minor}`));
      return text === undefined ? NO_PROPS : parseUdevProperties(text);
    };

    return () => {
      const samples = STATS.map((): Sample[] => []);
      const info: Sample[] = [];
      const fsInfo: Sample[] = [];
      const dmInfo: Sample[] = [];
      const ata = ATA_STATS.map((): Sample[] => []);
      for (const disk of parseDiskstats(readText(proc(paths, 'diskstats')))) {
        const device = disk.device;
        if (filter.ignored(device)) continue;
        const props = udevProperties(disk);
        const prop = (key: string) => props.get(key) ?? '';
        info.push({
          labels: {
            device,
            major: disk.major,
            minor: disk.minor,
            path: prop('ID_PATH'),
            wwn: prop('ID_WWN'),
            model: prop('ID_MODEL'),
            serial: prop('ID_SERIAL_SHORT'),
            revision: prop('ID_REVISION'),
          },
          value: 1,
        });
        disk.stats.forEach((value, i) =>
          samples[i].push({ labels: { device }, value: value * (STATS[i].factor ?? 1) }),
        );
        const fsType = prop('ID_FS_TYPE');
        if (fsType !== '') {
          fsInfo.push({
            labels: {
              device,
              type: fsType,
              usage: prop('ID_FS_USAGE'),
              uuid: prop('ID_FS_UUID'),
              version: prop('ID_FS_VERSION'),
            },
            value: 1,
          });
        }
        const dmName = prop('DM_NAME');
        if (dmName !== '') {
          dmInfo.push({
            labels: {
              device,
              name: dmName,
              uuid: prop('DM_UUID'),
              vg_name: prop('DM_VG_NAME'),
              lv_name: prop('DM_LV_NAME'),
              lv_layer: prop('DM_LV_LAYER'),
            },
            value: 1,
          });
        }
        if (prop('ID_ATA') !== '') {
          ATA_STATS.forEach(([key], i) => {
            const text = props.get(key);
            if (text === undefined) return;
            try {
              ata[i].push({ labels: { device }, value: parseFloat64(text, `udev property ${key} of ${device}`) });
            } catch (err) {
              log.error({ err: (err as Error).message }, 'Failed to parse ATA value');
            }
          });
        }
      }
      const families: MetricFamily[] = STATS.map((stat, i) =>
        (stat.gauge ? gauge : counter)(`node_disk_${stat.name}`, stat.help, samples[i]),
      );
      families.push(
        gauge('node_disk_info', 'Info of /sys/block/<block_device>.', info),
        gauge('node_disk_filesystem_info', 'Info about disk filesystem.', fsInfo),
        gauge('node_disk_device_mapper_info', 'Info about disk device mapper.', dmInfo),
        ...ATA_STATS.map(([, name, help], i) => gauge(`node_disk_${name}`, help, ata[i])),
      );
      return families;
    };
  },
});

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
