// Space and inodes of mounted filesystems: the mount table of PID 1 (falling back to our
// own when hidepid hides it, as node_exporter 1.5.0 reads it), statfs(2) per mount.

import type { StatsFs } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@nester/common/log/logger';
import { gauge, type Sample } from '../metrics/family';
import { type Paths, proc } from '../procfs/paths';
import { fields, isNotFound, lines, readText } from '../procfs/read';
import { defineFlags, type FlagNamesOfType, type FlagValuesOf } from '@nester/common/config/flags';
import { type CollectFn, type CollectorOptions, defineCollector } from './collector';
import { compilePattern } from './pattern';

const DEFAULT_MOUNT_POINTS_EXCLUDE =
  '^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)';
const DEFAULT_FS_TYPES_EXCLUDE =
  '^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$';

export interface Mount {
  device: string;
  mountPoint: string;
  fsType: string;
  options: string;
}

/** /proc/<pid>/mounts lines; mount points relative to --path.rootfs. */
export function parseMounts(text: string, rootfs = '/'): Mount[] {
  const mounts: Mount[] = [];
  for (const line of lines(text)) {
    const parts = fields(line);
    if (parts.length < 4) throw new Error(`malformed mount point information: "${line}"`);
    mounts.push({
      device: parts[0],
      mountPoint: stripRootfs(parts[1].replaceAll('\\040', ' ').replaceAll('\\011', '\t'), rootfs),
      fsType: parts[2],
      options: parts[3],
    });
  }
  return mounts;
}

function stripRootfs(path: string, rootfs: string): string {
  if (rootfs === '/') return path;
  const stripped = path.startsWith(rootfs) ? path.slice(rootfs.length) : path;
  return stripped === '' ? '/' : stripped;
}

function readMounts(paths: Paths, log: Logger): Mount[] {
  let text: string;
  try {
    text = readText(proc(paths, '1/mounts'));
  } catch (err) {
    if (!isNotFound(err)) throw err;
    log.debug({ err: (err as Error).message }, 'Reading root mounts failed, falling back to system mounts');
    text = readText(proc(paths, 'mounts'));
  }
  return parseMounts(text, paths.rootfs);
}

type StatfsResult = { ok: true; stats: StatsFs } | { ok: false; reason: string };

/** statfs(2); tests pass a stand-in to play a hung NFS mount. */
export type StatfsFn = (path: string) => Promise<StatsFs>;

/**
 * Mounts whose statfs(2) did not answer within the timeout. Their call is still pending in
 * the thread pool; until it returns, the mount is reported with device_error=1 and not
 * asked again, so a dead NFS server costs one thread instead of every scrape's time.
 */
class StuckMounts {
  private readonly pending = new Set<string>();

  constructor(
    private readonly timeoutMs: number,
    private readonly log: Logger,
    private readonly statfs: StatfsFn,
  ) {}

  isStuck(mountPoint: string): boolean {
    return this.pending.has(mountPoint);
  }

  stat(mountPoint: string, path: string): Promise<StatfsResult> {
    const call = this.statfs(path).then(
      (stats): StatfsResult => ({ ok: true, stats }),
      (err: Error): StatfsResult => ({ ok: false, reason: err.message }),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<StatfsResult>((resolve) => {
      timer = setTimeout(() => {
        this.pending.add(mountPoint);
        this.log.debug(
          { mountpoint: mountPoint },
          'Mount point timed out, it is being labeled as stuck and will not be monitored',
        );
        // `call` never rejects: a failing statfs is one of its results.
        void call.then(() => {
          this.pending.delete(mountPoint);
          this.log.debug({ mountpoint: mountPoint }, 'Mount point has recovered, monitoring will resume');
        });
        resolve({ ok: false, reason: 'timed out' });
      }, this.timeoutMs);
      timer.unref();
    });
    return Promise.race([call.finally(() => clearTimeout(timer)), timeout]);
  }
}

export const FILESYSTEM_FLAGS = defineFlags({
  'collector.filesystem.mount-points-exclude': {
    type: 'string',
    help: 'Regexp of mount points to exclude for filesystem collector.',
    default: DEFAULT_MOUNT_POINTS_EXCLUDE,
  },
  'collector.filesystem.ignored-mount-points': {
    type: 'string',
    help: 'DEPRECATED: Use collector.filesystem.mount-points-exclude',
  },
  'collector.filesystem.fs-types-exclude': {
    type: 'string',
    help: 'Regexp of filesystem types to exclude for filesystem collector.',
    default: DEFAULT_FS_TYPES_EXCLUDE,
  },
  'collector.filesystem.ignored-fs-types': {
    type: 'string',
    help: 'DEPRECATED: Use collector.filesystem.fs-types-exclude',
  },
  'collector.filesystem.mount-timeout': {
    type: 'duration',
    help: 'How long to wait for a mount to respond before marking it as stale.',
    default: '5s',
  },
});

export function createFilesystemCollector(
  { paths, flags, log }: CollectorOptions<FlagValuesOf<typeof FILESYSTEM_FLAGS>>,
  statfsFn: StatfsFn = statfs,
): CollectFn {
  type Pattern = FlagNamesOfType<typeof FILESYSTEM_FLAGS, 'string'>;
  // The deprecated flag, when set, wins over its successor (as in node_exporter 1.5.0).
  const pattern = (flag: Pattern, old: Pattern) => compilePattern(flag, flags[old] || flags[flag] || '');
  const mountPointsExclude = pattern(
    'collector.filesystem.mount-points-exclude',
    'collector.filesystem.ignored-mount-points',
  );
  const fsTypesExclude = pattern('collector.filesystem.fs-types-exclude', 'collector.filesystem.ignored-fs-types');
  const stuck = new StuckMounts(flags['collector.filesystem.mount-timeout'], log, statfsFn);

  return async () => {
    const seen = new Set<string>();
    const mounts: Mount[] = [];
    for (const mount of readMounts(paths, log)) {
      if (mountPointsExclude.test(mount.mountPoint) || fsTypesExclude.test(mount.fsType)) continue;
      // One series per device, mount point and type, even if mounted several times.
      const key = `${mount.device}\0${mount.mountPoint}\0${mount.fsType}`;
      if (seen.has(key)) continue;
      seen.add(key);
      mounts.push(mount);
    }
    const results = await Promise.all(
      mounts.map((mount): Promise<StatfsResult> =>
        stuck.isStuck(mount.mountPoint)
          ? Promise.resolve({ ok: false, reason: 'stuck' })
          : stuck.stat(mount.mountPoint, join(paths.rootfs, mount.mountPoint)),
      ),
    );

    const size: Sample[] = [];
    const free: Sample[] = [];
    const avail: Sample[] = [];
    const files: Sample[] = [];
    const filesFree: Sample[] = [];
    const readonly: Sample[] = [];
    const deviceError: Sample[] = [];
    mounts.forEach((mount, i) => {
      const labels = { device: mount.device, fstype: mount.fsType, mountpoint: mount.mountPoint };
      const result = results[i];
      deviceError.push({ labels, value: result.ok ? 0 : 1 });
      if (!result.ok) {
        log.debug({ mountpoint: mount.mountPoint, err: result.reason }, 'Error on statfs() system call');
        return;
      }
      const { bsize, blocks, bfree, bavail } = result.stats;
      size.push({ labels, value: blocks * bsize });
      free.push({ labels, value: bfree * bsize });
      avail.push({ labels, value: bavail * bsize });
      files.push({ labels, value: result.stats.files });
      filesFree.push({ labels, value: result.stats.ffree });
      readonly.push({ labels, value: mount.options.split(',').includes('ro') ? 1 : 0 });
    });
    return [
      gauge('node_filesystem_size_bytes', 'Filesystem size in bytes.', size),
      gauge('node_filesystem_free_bytes', 'Filesystem free space in bytes.', free),
      gauge('node_filesystem_avail_bytes', 'Filesystem space available to non-root users in bytes.', avail),
      gauge('node_filesystem_files', 'Filesystem total file nodes.', files),
      gauge('node_filesystem_files_free', 'Filesystem total free file nodes.', filesFree),
      gauge('node_filesystem_readonly', 'Filesystem read-only status.', readonly),
      gauge(
        'node_filesystem_device_error',
        'Whether an error occurred while getting statistics for the given device.',
        deviceError,
      ),
    ];
  };
}

export const filesystem = defineCollector({
  name: 'filesystem',
  defaultEnabled: true,
  flags: FILESYSTEM_FLAGS,
  create: (options) => createFilesystemCollector(options),
});
