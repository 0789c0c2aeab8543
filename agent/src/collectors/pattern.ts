// Regular expressions given on the command line are Go RE2 syntax in node_exporter. The
// common ground with JavaScript is nearly all of it; the few Go spellings people use
// (leading flag groups, (?P<name>…)) are translated, anything else that JavaScript rejects
// is a usage error naming the flag.

import { UsageError } from '@nester/common/config/flags';

export function compilePattern(flag: string, source: string): RegExp {
  let body = source.replace(/\(\?P</g, '(?<');
  let flags = '';
  const leading = /^\(\?([imsU]+)\)/.exec(body);
  if (leading) {
    if (leading[1].includes('U')) throw new UsageError(`--${flag}: the (?U) flag is not supported`);
    flags = [...new Set(leading[1])].join('');
    body = body.slice(leading[0].length);
  }
  try {
    return new RegExp(body, flags);
  } catch (err) {
    throw new UsageError(`--${flag}: invalid regular expression "${source}": ${(err as Error).message}`);
  }
}

/** A string flag's value; '' means unset, as with kingpin's String() flags. */
export function optionalPattern(flag: string, value: unknown): RegExp | undefined {
  return typeof value === 'string' && value !== '' ? compilePattern(flag, value) : undefined;
}

/**
 * node_exporter's deviceFilter: a name is ignored when it matches the exclude pattern or,
 * with an include pattern, does not match it.
 */
export class DeviceFilter {
  constructor(
    private readonly exclude?: RegExp,
    private readonly include?: RegExp,
  ) {}

  ignored(name: string): boolean {
    return (
      (this.exclude !== undefined && this.exclude.test(name)) ||
      (this.include !== undefined && !this.include.test(name))
    );
  }
}

export interface FilterFlagNames {
  include: string;
  exclude: string;
  /** Deprecated names still accepted by node_exporter 1.5.0 for the same flags. */
  oldInclude?: string;
  oldExclude?: string;
  /** The exclude flag's default, which an explicit include replaces instead of clashing with. */
  defaultExclude?: string;
}

/** Builds a filter from an include/exclude flag pair, which are mutually exclusive. */
export function deviceFilterFromFlags(flags: Record<string, unknown>, names: FilterFlagNames): DeviceFilter {
  const pick = (current: string, old?: string) => {
    const value = flags[current];
    const oldValue = old ? flags[old] : undefined;
    if (typeof oldValue === 'string' && oldValue !== '') {
      if (typeof value === 'string' && value !== '' && value !== names.defaultExclude) {
        throw new UsageError(`--${old} and --${current} are mutually exclusive`);
      }
      return oldValue;
    }
    return typeof value === 'string' ? value : '';
  };
  let exclude = pick(names.exclude, names.oldExclude);
  const include = pick(names.include, names.oldInclude);
  if (include !== '' && exclude === names.defaultExclude) exclude = '';
  if (include !== '' && exclude !== '') {
    throw new UsageError(`--${names.exclude} and --${names.include} are mutually exclusive`);
  }
  return new DeviceFilter(optionalPattern(names.exclude, exclude), optionalPattern(names.include, include));
}
