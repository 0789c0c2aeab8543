import { gauge, single } from '../metrics/family';
import { proc } from '../procfs/paths';
import { parseFloat64, readText } from '../procfs/read';
import type { CollectorDefinition } from './collector';

/** /proc/sys/fs/file-nr: allocated, unused (always 0 since 2.6), maximum; tab-separated. */
export function parseFileNr(text: string, path: string): { allocated: number; maximum: number } {
  const parts = text.trim().split('\t');
  if (parts.length < 3) throw new Error(`unexpected number of file stats in "${path}"`);
  return {
    allocated: parseFloat64(parts[0], `allocated in ${path}`),
    maximum: parseFloat64(parts[2], `maximum in ${path}`),
  };
}

export const filefd: CollectorDefinition = {
  name: 'filefd',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () => {
      const path = proc(paths, 'sys/fs/file-nr');
      const { allocated, maximum } = parseFileNr(readText(path), path);
      return [
        gauge('node_filefd_allocated', 'File descriptor statistics: allocated.', single(allocated)),
        gauge('node_filefd_maximum', 'File descriptor statistics: maximum.', single(maximum)),
      ];
    },
};
