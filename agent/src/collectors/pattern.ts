// Regular expressions given on the command line are Go RE2 syntax in node_exporter, and so
// they are here: compiled by common's re2 (a port of Go's regexp), with Go's semantics, Go's
// errors, and linear-time matching. A pattern Go refuses is a usage error naming the flag.

import { UsageError } from '@nester/common/config/flags';
import { compileSearch, type Regex, RegexSyntaxError } from '@nester/common/regex/re2';

export type { Regex } from '@nester/common/regex/re2';

/** node_exporter's filter flags: `regexp.MustCompile(flag)`, then `MatchString` (a match anywhere). */
export function compilePattern(flag: string, source: string): Regex {
  try {
    return compileSearch(source);
  } catch (err) {
    if (err instanceof RegexSyntaxError) throw new UsageError(`--${flag}: ${err.message}`);
    throw err;
  }
}

/** A string flag's value; '' means unset, as with kingpin's String() flags. */
export function optionalPattern(flag: string, value: string | undefined): Regex | undefined {
  return value ? compilePattern(flag, value) : undefined;
}

/**
 * node_exporter's deviceFilter: a name is ignored when it matches the exclude pattern or,
 * with an include pattern, does not match it.
 */
export class DeviceFilter {
  constructor(
    private readonly exclude?: Regex,
    private readonly include?: Regex,
  ) {}

  ignored(name: string): boolean {
    return (
      (this.exclude !== undefined && this.exclude.test(name)) ||
      (this.include !== undefined && !this.include.test(name))
    );
  }
}

export interface FilterFlagNames<N extends string> {
  include: N;
  exclude: N;
  /** Deprecated names still accepted by node_exporter 1.5.0 for the same flags. */
  oldInclude?: N;
  oldExclude?: N;
  /** The exclude flag's default, which an explicit include replaces instead of clashing with. */
  defaultExclude?: string;
}

/**
 * Builds a filter from an include/exclude flag pair, which are mutually exclusive. `flags` are
 * the collector's typed flag values; the names must be string flags among them.
 */
export function deviceFilterFromFlags<N extends string>(
  flags: { readonly [K in NoInfer<N>]: string | undefined },
  names: FilterFlagNames<N>,
): DeviceFilter {
  const pick = (current: N, old?: N) => {
    const value = flags[current];
    const oldValue = old ? flags[old] : undefined;
    if (oldValue) {
      if (value && value !== names.defaultExclude) {
        throw new UsageError(`--${old} and --${current} are mutually exclusive`);
      }
      return oldValue;
    }
    return value ?? '';
  };
  let exclude = pick(names.exclude, names.oldExclude);
  const include = pick(names.include, names.oldInclude);
  if (include !== '' && exclude === names.defaultExclude) exclude = '';
  if (include !== '' && exclude !== '') {
    throw new UsageError(`--${names.exclude} and --${names.include} are mutually exclusive`);
  }
  return new DeviceFilter(optionalPattern(names.exclude, exclude), optionalPattern(names.include, include));
}
