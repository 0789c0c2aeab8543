import type { StatsFs } from 'node:fs';
import { statfsSync } from 'node:fs';
import { writeText } from '../exposition/text';
import { parseArgs } from '@nester/common/config/flags';
import { createFilesystemCollector, filesystem, FILESYSTEM_FLAGS, parseMounts, type StatfsFn } from './filesystem';
import { collectText, tempPaths } from '../../test/support/collectors';
import { memoryLogger } from '../../test/support/memory-logger';

const stats = (blocks: number): StatsFs => ({
  type: 0xef53,
  bsize: 4096,
  blocks,
  bfree: blocks / 2,
  bavail: blocks / 4,
  files: 1000,
  ffree: 900,
});

function build(mounts: string, statfsFn: StatfsFn, args: string[] = []) {
  const paths = tempPaths({ '1/mounts': mounts });
  const { values } = parseArgs(FILESYSTEM_FLAGS, args);
  return createFilesystemCollector(
    { paths: { ...paths, rootfs: '/' }, flags: values, log: memoryLogger().log },
    statfsFn,
  );
}

describe('filesystem collector', () => {
  it('exposes size, free, avail, inodes and read-only state of each mount, once per device and mount point', async () => {
    const mounts = [
      '/dev/vda / ext4 rw,relatime 0 0',
      '/dev/vdb /srv/my\\040data xfs ro,noatime 0 0',
      '/dev/vdb /srv/my\\040data xfs ro,noatime 0 0',
      'proc /proc proc rw 0 0',
      'tmpfs /dev/shm tmpfs rw 0 0',
      'overlay /var/lib/docker/overlay2/x/merged overlay rw 0 0',
      '',
    ].join('\n');
    const asked: string[] = [];
    const collectFn = build(mounts, (path) => {
      asked.push(path);
      return Promise.resolve(stats(path === '/' ? 1000 : 2000));
    });
    const text = writeText(await collectFn());
    expect(asked).toEqual(['/', '/srv/my data']);
    expect(text).toContain('node_filesystem_size_bytes{device="/dev/vda",fstype="ext4",mountpoint="/"} 4.096e+06\n');
    expect(text).toContain('node_filesystem_avail_bytes{device="/dev/vda",fstype="ext4",mountpoint="/"} 1.024e+06\n');
    expect(text).toContain('node_filesystem_readonly{device="/dev/vdb",fstype="xfs",mountpoint="/srv/my data"} 1\n');
    expect(text).toContain(
      'node_filesystem_files_free{device="/dev/vdb",fstype="xfs",mountpoint="/srv/my data"} 900\n',
    );
    expect(text.match(/^node_filesystem_size_bytes/gm)).toHaveLength(2);
  });

  it('reports device_error=1 for a mount whose statfs fails, without its other metrics', async () => {
    const collectFn = build('nfs:/export /mnt/nfs nfs4 rw 0 0\n', () => Promise.reject(new Error('EIO: i/o error')));
    const text = writeText(await collectFn());
    expect(text).toContain(
      'node_filesystem_device_error{device="nfs:/export",fstype="nfs4",mountpoint="/mnt/nfs"} 1\n',
    );
    expect(text).not.toContain('node_filesystem_size_bytes');
  });

  it('does not let a hung mount hang the scrape, and skips it while it stays stuck', async () => {
    let release: (value: StatsFs) => void = () => undefined;
    let released = false;
    let calls = 0;
    const collectFn = build(
      '/dev/vda / ext4 rw 0 0\nserver:/x /mnt/hung nfs4 rw 0 0\n',
      (path) => {
        if (path === '/') return Promise.resolve(stats(1000));
        calls++;
        if (released) return Promise.resolve(stats(8));
        return new Promise<StatsFs>((resolve) => (release = resolve));
      },
      ['--collector.filesystem.mount-timeout=50ms'],
    );
    const hung = 'node_filesystem_device_error{device="server:/x",fstype="nfs4",mountpoint="/mnt/hung"} 1\n';
    expect(writeText(await collectFn())).toContain(hung);
    expect(writeText(await collectFn())).toContain(hung);
    expect(calls).toBe(1);
    released = true;
    release(stats(8));
    await new Promise((done) => setImmediate(done));
    const recovered = writeText(await collectFn());
    expect(recovered).toContain(
      'node_filesystem_device_error{device="server:/x",fstype="nfs4",mountpoint="/mnt/hung"} 0\n',
    );
    expect(calls).toBe(2);
  });

  it('matches statfs(2) on the real root filesystem', async () => {
    const paths = tempPaths({ '1/mounts': '/dev/root / ext4 rw 0 0\n' });
    const text = await collectText(filesystem, { ...paths, rootfs: '/' });
    const real = statfsSync('/');
    expect(text).toContain(
      `node_filesystem_size_bytes{device="/dev/root",fstype="ext4",mountpoint="/"} ${formatGo(real.blocks * real.bsize)}\n`,
    );
  });

  it('falls back to /proc/mounts when PID 1 is hidden, and exposes nothing for an empty table', async () => {
    const paths = tempPaths({ mounts: '' });
    await expect(collectText(filesystem, paths)).resolves.toBe('');
  });

  it('fails on a malformed line and names it', () => {
    expect(() => parseMounts('/dev/vda /\n')).toThrow('malformed mount point information: "/dev/vda /"');
  });

  it('strips --path.rootfs from mount points', () => {
    expect(
      parseMounts('/dev/vda /host ext4 rw 0 0\n/dev/vdb /host/srv xfs rw 0 0\n', '/host').map((m) => m.mountPoint),
    ).toEqual(['/', '/srv']);
  });
});

function formatGo(value: number): string {
  return writeText([{ name: 'x', help: '', type: 'gauge', samples: [{ labels: {}, value }] }])
    .split('\n')[2]
    .slice(2);
}
