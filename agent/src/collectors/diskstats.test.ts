import { UsageError } from '@nester/common/config/flags';
import { diskstats, parseDiskstats, parseUdevProperties } from './diskstats';
import {
  collectText,
  createCollector,
  fixturePaths,
  itMatchesNodeExporter,
  tempPaths,
} from '../../test/support/collectors';
import { memoryLogger } from '../../test/support/memory-logger';

describe('diskstats collector', () => {
  itMatchesNodeExporter('diskstats');

  it('keeps counters above 2^53, 2^64-1 and 32-bit wrapped values as node_exporter parses them', async () => {
    const text = await collectText(diskstats, fixturePaths('laptop'));
    expect(text).toContain('node_disk_reads_completed_total{device="nvme0n1"} 9.007199254740992e+15\n');
    expect(text).toContain('node_disk_reads_merged_total{device="nvme0n1"} 1.8446744073709552e+19\n');
    expect(text).toContain('node_disk_read_bytes_total{device="nvme0n1"} 2.19902325504e+12\n');
    expect(text).toContain('node_disk_writes_completed_total{device="nvme0n1"} 4.294967296e+09\n');
  });

  it('exposes only the statistics a line has (older kernels have 11, 15 or 17)', () => {
    const disks = parseDiskstats(
      '   8  0 sda 1 2 3 4 5 6 7 8 9 10 11\n   8  1 sdb 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\n   8  2 sdc 1 2 3\n',
    );
    expect(disks.map((disk) => [disk.device, disk.stats.length])).toEqual([
      ['sda', 11],
      ['sdb', 17],
    ]);
  });

  it('fails on a malformed counter, naming the device', () => {
    expect(() => parseDiskstats('   8  0 sda 1 2 x 4 5 6 7 8 9 10 11\n')).toThrow(
      'malformed /proc/diskstats field of sda: "x"',
    );
  });

  it('reads udev device properties (E: lines only)', () => {
    expect(parseUdevProperties('S:disk/by-id/x\nE:ID_MODEL=Disk=1\nE:BROKEN\nG:systemd\n')).toEqual(
      new Map([['ID_MODEL', 'Disk=1']]),
    );
  });

  it('warns once at start when the udev database is missing, and still exposes disk info', async () => {
    const memory = memoryLogger();
    const paths = tempPaths({ diskstats: '   8  0 sda 1 2 3 4 5 6 7 8 9 10 11\n' });
    const collectFn = createCollector(diskstats, paths, [], memory.log);
    await collectFn();
    await collectFn();
    expect(memory.lines().filter((line) => String(line.msg).includes('udev'))).toHaveLength(1);
    expect(await collectText(diskstats, paths)).toContain(
      'node_disk_info{device="sda",major="8",minor="0",model="",path="",revision="",serial="",wwn=""} 1\n',
    );
  });

  it('lets an explicit include replace the default exclude, but refuses two explicit patterns', async () => {
    const paths = fixturePaths('laptop');
    const text = await collectText(diskstats, paths, ['--collector.diskstats.device-include=^sda1$']);
    expect(text).toContain('node_disk_reads_completed_total{device="sda1"} 226\n');
    expect(text).not.toContain('device="sda"');
    expect(() =>
      createCollector(diskstats, paths, [
        '--collector.diskstats.device-include=sda',
        '--collector.diskstats.device-exclude=sdb',
      ]),
    ).toThrow(UsageError);
  });
});
