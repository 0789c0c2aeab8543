/**
 * A filesystem's use as `df` prints it: used / (used + available), where used = size − free.
 * Blocks reserved for root (free but not available to users) count as neither, so they are not
 * "used": 1 − avail/size counted them as used and showed 71.6 % on a disk `df` puts at 33 %.
 * coreutils rounds the percentage up; this returns it unrounded.
 */
export function dfUsedPercent(size: number, free: number, avail: number): number {
  const used = size - free;
  const total = used + avail;
  return total > 0 ? (100 * used) / total : NaN;
}

/**
 * Filesystems that are not disks (memory, pseudo and image filesystems): the "fullest filesystem"
 * of a machine leaves them out. A PromQL regex for `fstype!~`.
 */
export const NON_DISK_FSTYPES =
  'tmpfs|devtmpfs|ramfs|overlay|squashfs|erofs|iso9660|nsfs|proc|sysfs|cgroup2?|autofs|fuse.lxcfs|tracefs|debugfs';
