// The collectors that read the live system rather than files (the clock and the time zone,
// statfs(2)) cannot have a recorded golden output: each is compared with node_exporter 1.5.0
// reading the same machine in the same moment, one scrape of ours between two of its.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseText, type ParsedFamily } from '../../src/exposition/parse';
import type { Paths } from '../../src/procfs/paths';
import { fixturePaths, scrapeText } from '../support/collectors';
import { compareScrapes } from '../support/compare';
import { startNodeExporter, UPSTREAM_DEFAULTS } from '../support/node-exporter';

/** Scrapes of node_exporter before and after ours, without its collector durations (ours leaves them out). */
async function compareWithNodeExporter(paths: Paths, args: string[]) {
  const exporter = await startNodeExporter([
    '--collector.disable-defaults',
    `--path.procfs=${paths.procfs}`,
    `--path.sysfs=${paths.sysfs}`,
    `--path.rootfs=${paths.rootfs}`,
    ...args,
  ]);
  try {
    const theirs = async () => {
      const families = parseText(await (await fetch(`${exporter.url}/metrics`)).text());
      families.delete('node_scrape_collector_duration_seconds');
      return families;
    };
    const before = await theirs();
    const ours = parseText(await scrapeText(paths, args));
    const after = await theirs();
    return { before, ours, after, differences: compareScrapes(before, ours, after) };
  } finally {
    await exporter.service.stop();
  }
}

const samples = (family: ParsedFamily | undefined) => family?.samples ?? [];

describe('time collector against node_exporter', () => {
  const tz = process.env.TZ;
  // A zone with daylight saving time and abbreviations, in both processes (node_exporter inherits it).
  beforeAll(() => (process.env.TZ = 'America/New_York'));
  afterAll(() => (tz === undefined ? delete process.env.TZ : (process.env.TZ = tz)));

  it('reads the same clock, zone and clock sources', async () => {
    const { before, ours, differences } = await compareWithNodeExporter(fixturePaths('vm'), ['--collector.time']);
    expect(differences).toEqual([]);
    const zone = samples(ours.get('node_time_zone_offset_seconds'));
    expect(zone).toEqual(samples(before.get('node_time_zone_offset_seconds')));
    expect([
      { labels: { time_zone: 'EST' }, value: -18000 },
      { labels: { time_zone: 'EDT' }, value: -14400 },
    ]).toContainEqual(zone[0]);
    expect(samples(ours.get('node_time_clocksource_current_info'))).toEqual([
      { labels: { clocksource: 'tsc', device: '0' }, value: 1 },
    ]);
  });
});

describe('filesystem collector against node_exporter', () => {
  /** A procfs whose PID 1 has the given mount table. */
  function mountTable(lines: string[]): string {
    const dir = mkdtempSync(join(tmpdir(), 'harvester-mounts-'));
    mkdirSync(join(dir, '1'));
    writeFileSync(join(dir, '1/mounts'), `${lines.join('\n')}\n`);
    return dir;
  }

  it('statfs(2) of the same mounts, the same exclusions and errors, with the default flags', async () => {
    const procfs = mountTable([
      '/dev/vda / ext4 rw,relatime 0 0',
      '/dev/vda / ext4 rw,relatime 0 0', // mounted twice: one series
      'proc /proc proc rw 0 0',
      'tmpfs /dev/shm tmpfs rw 0 0',
      'binfmt_misc /proc/sys/fs/binfmt_misc binfmt_misc rw 0 0',
      'overlay /var/lib/docker/overlay2/abc/merged overlay rw 0 0',
      '/dev/sr0 /media/cdrom iso9660 ro 0 0', // excluded by its type alone
      '/dev/vda /etc ext4 ro,relatime 0 0', // read-only
      '/dev/vdb /srv/no\\040such\\011place xfs rw 0 0', // statfs fails: device_error
    ]);
    const { ours, differences } = await compareWithNodeExporter({ ...fixturePaths('vm'), procfs, rootfs: '/' }, [
      '--collector.filesystem',
      ...UPSTREAM_DEFAULTS.filter((flag) => flag.includes('filesystem')),
    ]);
    expect(differences).toEqual([]);
    expect(samples(ours.get('node_filesystem_device_error')).map((s) => [s.labels.mountpoint, s.value])).toEqual([
      ['/', 0],
      ['/etc', 0],
      ['/srv/no such\tplace', 1],
    ]);
    expect(samples(ours.get('node_filesystem_readonly')).map((s) => [s.labels.mountpoint, s.value])).toEqual([
      ['/', 0],
      ['/etc', 1],
    ]);
  });

  it('under --path.rootfs, with the deprecated exclusion flags', async () => {
    const procfs = mountTable([
      '/dev/vda /usr ext4 rw 0 0',
      '/dev/vda /usr/share ext4 rw 0 0',
      '/dev/vda /usr/lib ext4 rw 0 0',
      'tmpfs /usr/local tmpfs rw 0 0',
      '/dev/vda /elsewhere ext4 rw 0 0', // outside rootfs: kept as it is, and not found there
    ]);
    const { ours, differences } = await compareWithNodeExporter({ ...fixturePaths('vm'), procfs, rootfs: '/usr' }, [
      '--collector.filesystem',
      '--collector.filesystem.ignored-mount-points=^/lib$',
      '--collector.filesystem.ignored-fs-types=^tmpfs$',
    ]);
    expect(differences).toEqual([]);
    expect(samples(ours.get('node_filesystem_device_error')).map((s) => [s.labels.mountpoint, s.value])).toEqual([
      ['/', 0],
      ['/elsewhere', 1],
      ['/share', 0],
    ]);
  });
});
