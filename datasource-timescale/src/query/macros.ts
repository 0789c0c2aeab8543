// Grafana's SQL macros, expanded into SQL that takes its values as bind parameters:
//   $__timeFilter(col)       col BETWEEN the panel's from and to
//   $__timeGroup(col, 5m)    the bucket start: time_bucket on TimescaleDB, date_bin otherwise,
//                            both from the Unix epoch (as Grafana's and Prometheus' steps align)
//   $__timeGroupAlias(col, 5m)  the same, AS "time"
//   $__timeFrom() / $__timeTo()  the range's ends (timestamptz)
//   $__interval / $__interval_ms  Grafana's suggested interval

import { parseDuration } from '@nester/common/config/units';

export interface MacroContext {
  from: number;
  to: number;
  intervalMs: number;
  bucketFunction: 'time_bucket' | 'date_bin';
}

/** Where $__timeGroup's buckets start: the Unix epoch, on every backend. */
const BUCKET_ORIGIN = "timestamptz '1970-01-01 00:00:00+00'";

export class MacroError extends Error {
  override name = 'MacroError';
}

export interface ExpandedSql {
  text: string;
  values: (string | number)[];
}

export function expandMacros(sql: string, ctx: MacroContext): ExpandedSql {
  const values: (string | number)[] = [];
  const param = (value: string | number, cast: string) => {
    values.push(value);
    return `$${values.length}::${cast}`;
  };
  const from = () => param(new Date(ctx.from).toISOString(), 'timestamptz');
  const to = () => param(new Date(ctx.to).toISOString(), 'timestamptz');
  const bucket = (args: string[], name: string) => {
    if (args.length < 2) throw new MacroError(`${name} needs a column and an interval, e.g. ${name}(time, 5m)`);
    const raw = args[1].trim().replace(/^'(.*)'$/, '$1');
    const ms = raw === '$__interval' ? ctx.intervalMs : durationMs(raw, name);
    const width = param(ms, 'bigint');
    // The origin is explicit for both: from time_bucket's default, 2000-01-03, 7m buckets were
    // 60 s off date_bin's (and Grafana's) epoch-aligned ones, and 1w buckets began on Mondays.
    return `${ctx.bucketFunction}(${width} * interval '1 millisecond', ${args[0]}, ${BUCKET_ORIGIN})`;
  };

  let text = sql.replace(
    /\$__(timeFilter|timeGroupAlias|timeGroup|timeFrom|timeTo|unixEpochFilter)\s*\(([^()]*)\)/g,
    (_, name: string, argText: string) => {
      const args = argText.split(',').filter((a, i) => a.trim() !== '' || i > 0);
      switch (name) {
        case 'timeFilter':
          if (args.length !== 1) throw new MacroError('$__timeFilter takes one column, e.g. $__timeFilter(time)');
          return `${args[0]} BETWEEN ${from()} AND ${to()}`;
        case 'unixEpochFilter':
          if (args.length !== 1) throw new MacroError('$__unixEpochFilter takes one column');
          return `${args[0]} BETWEEN ${param(Math.floor(ctx.from / 1000), 'bigint')} AND ${param(Math.floor(ctx.to / 1000), 'bigint')}`;
        case 'timeGroup':
          return bucket(args, '$__timeGroup');
        case 'timeGroupAlias':
          return `${bucket(args, '$__timeGroupAlias')} AS "time"`;
        case 'timeFrom':
          return from();
        default:
          return to();
      }
    },
  );
  text = text.replace(/\$__interval_ms\b/g, () => param(ctx.intervalMs, 'bigint'));
  text = text.replace(/\$__interval\b/g, () => `(${param(ctx.intervalMs, 'bigint')} * interval '1 millisecond')`);
  const unknown = /\$__[a-zA-Z_]+/.exec(text);
  if (unknown) throw new MacroError(`unknown macro ${unknown[0]}`);
  return { text, values };
}

function durationMs(text: string, macro: string): number {
  try {
    const ms = parseDuration(text);
    if (ms <= 0) throw new Error('must be positive');
    return ms;
  } catch (err) {
    throw new MacroError(`${macro}: ${(err as Error).message}`);
  }
}
