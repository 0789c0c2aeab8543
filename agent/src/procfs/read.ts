// Small synchronous readers for /proc and /sys. Those files live in memory and answer in
// microseconds, so a synchronous read is cheaper than a trip through libuv's thread pool.

import { readdirSync, readFileSync } from 'node:fs';

export function readText(path: string): string {
  return readFileSync(path, 'latin1');
}

/** The file's first line without the trailing newline, or undefined if it cannot be read. */
export function readAttr(path: string): string | undefined {
  try {
    const text = readFileSync(path, 'latin1');
    const end = text.indexOf('\n');
    return end < 0 ? text : text.slice(0, end);
  } catch {
    return undefined;
  }
}

/** A numeric sysfs attribute, or undefined when absent, unreadable or not a number. */
export function readNumber(path: string): number | undefined {
  const text = readAttr(path)?.trim();
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

export function listDir(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export function lines(text: string): string[] {
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
}

/** Parses an unsigned decimal field, failing loudly on garbage instead of emitting NaN. */
export function parseUint(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`malformed ${what}: "${text}"`);
  return Number(text);
}
