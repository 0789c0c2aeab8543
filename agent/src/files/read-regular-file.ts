// Reading a file that someone else may control (a textfile, a queue segment) without letting it
// stall or swamp the agent: the file is opened without blocking (a FIFO would otherwise block the
// whole process in open or read), the opened descriptor itself is checked to be a regular file
// (checking the path first and opening it after leaves a window to swap in a FIFO or a device),
// and no more than a bound is read (/dev/zero-like or huge files, files growing while read).

import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** The file exists but is not something the agent reads: not a regular file, or too large. */
export class FileRefusedError extends Error {
  override name = 'FileRefusedError';
}

/** The file holds more than the bytes the caller allowed. */
export class FileTooLargeError extends FileRefusedError {
  override name = 'FileTooLargeError';
}

export interface ReadRegularFileOptions {
  /** Past this many bytes the file is refused, as when it grows while being read. */
  maxBytes: number;
  /** Refuse a symbolic link instead of reading what it points to (default: follow it). */
  noFollow?: boolean;
}

export interface RegularFile {
  data: Buffer;
  /** fstat of the descriptor the data was read from. */
  stats: Stats;
}

export function readRegularFile(path: string, { maxBytes, noFollow = false }: ReadRegularFileOptions): RegularFile {
  const { fd, stats } = openRegularFile(path, { noFollow });
  try {
    if (stats.size > maxBytes) throw tooLarge(path, maxBytes);
    return { data: readUpTo(fd, stats.size, maxBytes, path), stats };
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens a file for reading, without blocking, and checks that what was opened is a regular file;
 * the caller reads from `fd` (positional reads, any size) and closes it.
 */
export function openRegularFile(path: string, { noFollow = false } = {}): { fd: number; stats: Stats } {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0);
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (err) {
    if (noFollow && (err as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new FileRefusedError(`"${path}" is a symbolic link`);
    }
    throw err;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new FileRefusedError(`"${path}" is ${describe(stats)}, not a regular file`);
    return { fd, stats };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** Reads to the end, or throws once more than `maxBytes` came: the size fstat gave is a hint only. */
function readUpTo(fd: number, expected: number, maxBytes: number, path: string): Buffer {
  let buffer = Buffer.allocUnsafe(Math.min(expected, maxBytes) + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > maxBytes) throw tooLarge(path, maxBytes);
      const grown = Buffer.allocUnsafe(Math.min(length * 2, maxBytes + 1));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) return buffer.subarray(0, length);
    length += read;
  }
}

function tooLarge(path: string, maxBytes: number): FileTooLargeError {
  return new FileTooLargeError(`"${path}" is larger than ${maxBytes} bytes`);
}

function describe(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'of an unknown kind';
}
