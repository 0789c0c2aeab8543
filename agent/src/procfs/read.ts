// Small synchronous readers for /proc and /sys. Those files live in memory and answer in
// microseconds, so a synchronous read is cheaper than a trip through libuv's thread pool.

import { closeSync, openSync, readdirSync, readSync } from 'node:fs';

/**
 * One buffer reused by every read: /proc and /sys files report size 0, so readFileSync
 * would stat them and then grow a fresh buffer chunk by chunk on each call.
 */
let buffer = Buffer.allocUnsafe(64 * 1024);

/** The whole file as latin1 text (open, read until EOF, close; no stat, no allocation). */
export function readText(path: string): string {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return buffer.toString('latin1', 0, length);
  } finally {
    closeSync(fd);
  }
}

/** The whole file, or undefined when it does not exist (other errors still throw). */
export function readOptional(path: string): string | undefined {
  try {
    return readText(path);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The file's first line without the trailing newline, or undefined if it cannot be read. */
export function readAttr(path: string): string | undefined {
  try {
    const text = readText(path);
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
    if (isNotFound(err)) return [];
    throw err;
  }
}

export function lines(text: string): string[] {
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
}

const SPACE = /\s+/;

/** Whitespace-separated fields of a line, as Go's strings.Fields splits them. */
export function fields(line: string): string[] {
  const trimmed = line.trim();
  return trimmed === '' ? [] : trimmed.split(SPACE);
}

const UINT = /^\d+$/;

/**
 * Parses an unsigned decimal field, failing loudly on garbage instead of emitting NaN.
 * Number() of the decimal text rounds to the nearest float64 exactly as Go's
 * float64(ParseUint(...)) does, so counters above 2^53 keep node_exporter's value.
 */
export function parseUint(text: string, what: string): number {
  if (!UINT.test(text)) throw new Error(`malformed ${what}: "${text}"`);
  return Number(text);
}

const INT = /^[-+]?\d+$/;

/** A signed decimal field, as Go's strconv.ParseInt accepts it. */
export function parseInt64(text: string, what: string): number {
  if (!INT.test(text)) throw new Error(`malformed ${what}: "${text}"`);
  return Number(text);
}

const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(Inf|inf|NaN|nan)$/;

/** A decimal float field, as Go's strconv.ParseFloat accepts it (without hex forms). */
export function parseFloat64(text: string, what: string): number {
  if (!FLOAT.test(text)) throw new Error(`malformed ${what}: "${text}"`);
  const lower = text.toLowerCase();
  if (lower.endsWith('inf')) return lower.startsWith('-') ? -Infinity : Infinity;
  if (lower.endsWith('nan')) return NaN;
  return Number(text);
}

/** Errors a sysfs attribute gives when the driver has no value to offer right now. */
const NO_VALUE = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'ENODATA']);

/**
 * A sysfs attribute as procfs' SysReadFile returns it: the first 128 bytes, trimmed; or
 * undefined when the driver refuses (a link that is down has no speed, for instance).
 * Other errors throw: they mean something is wrong rather than absent.
 */
export function readSysfs(path: string): string | undefined {
  let text: string;
  try {
    text = readText(path);
  } catch (err) {
    if (NO_VALUE.has((err as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw err;
  }
  return (text.length > 128 ? text.slice(0, 128) : text).trim();
}

const GO_INT = /^[-+]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]*|[1-9][0-9_]*)$/;

/** strconv.ParseInt(text, 0, 64): decimal, 0x hex, 0b binary, 0o or leading-0 octal. */
export function parseGoInt(text: string): number | undefined {
  if (!GO_INT.test(text)) return undefined;
  const negative = text.startsWith('-');
  let digits = text.replace(/^[-+]/, '').replaceAll('_', '');
  let radix = 10;
  if (/^0[xX]/.test(digits)) [radix, digits] = [16, digits.slice(2)];
  else if (/^0[bB]/.test(digits)) [radix, digits] = [2, digits.slice(2)];
  else if (/^0[oO]/.test(digits)) [radix, digits] = [8, digits.slice(2)];
  else if (digits.length > 1 && digits.startsWith('0')) [radix, digits] = [8, digits.slice(1)];
  if (digits === '') return radix === 8 ? 0 : undefined;
  const value = radix === 10 ? Number(digits) : Number(BigInt(`0${'xbo'[[16, 2, 8].indexOf(radix)]}${digits}`));
  if (value > 2 ** 63) return undefined;
  return negative ? -value : value;
}
