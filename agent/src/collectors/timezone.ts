// The local time zone's abbreviation and offset, found the way Go's time package finds them
// (TZ, else /etc/localtime, read as TZif), since node_exporter labels the offset with the
// abbreviation ("UTC", "CEST") and Node only offers ICU's localised names.

import { readFileSync } from 'node:fs';

export interface Zone {
  name: string;
  offsetSeconds: number;
}

const UTC: Zone = { name: 'UTC', offsetSeconds: 0 };

export function localZone(nowSeconds: number, env: NodeJS.ProcessEnv = process.env): Zone {
  let file = '/etc/localtime';
  if (env.TZ !== undefined) {
    const tz = env.TZ.startsWith(':') ? env.TZ.slice(1) : env.TZ;
    if (tz === '' || tz === 'UTC') return UTC;
    file = tz.startsWith('/') ? tz : `${env.ZONEINFO ?? '/usr/share/zoneinfo'}/${tz}`;
  }
  try {
    return zoneAt(readFileSync(file), nowSeconds) ?? UTC;
  } catch {
    return UTC;
  }
}

interface LocalType {
  offset: number;
  name: string;
}

/** The zone in effect at `seconds` according to TZif data; undefined if the data is not TZif. */
export function zoneAt(data: Buffer, seconds: number): Zone | undefined {
  if (data.length < 44 || data.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const version = data[4];
  let header = 0;
  let timeSize = 4;
  if (version >= 0x32) {
    // Skip the 32-bit block; the 64-bit one follows with a header of its own.
    header = 44 + blockLength(data, 0, 4);
    timeSize = 8;
  }
  const count = (i: number) => data.readUInt32BE(header + 20 + i * 4);
  const [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = [0, 1, 2, 3, 4, 5].map(count);
  let p = header + 44;
  const times: number[] = [];
  for (let i = 0; i < timecnt; i++, p += timeSize) {
    times.push(timeSize === 8 ? Number(data.readBigInt64BE(p)) : data.readInt32BE(p));
  }
  const indices = [...data.subarray(p, p + timecnt)];
  p += timecnt;
  const rawTypes: { offset: number; abbr: number }[] = [];
  for (let i = 0; i < typecnt; i++, p += 6) rawTypes.push({ offset: data.readInt32BE(p), abbr: data[p + 5] });
  const chars = data.toString('latin1', p, p + charcnt);
  p += charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt;
  const types: LocalType[] = rawTypes.map(({ offset, abbr }) => ({
    offset,
    name: chars.slice(abbr, chars.indexOf('\0', abbr)),
  }));
  if (types.length === 0) return undefined;

  const footer = version >= 0x32 ? data.toString('latin1', p).split('\n')[1] : undefined;
  if (times.length === 0 || seconds < times[0]) return toZone(types[0]);
  if (seconds >= times[times.length - 1] && footer) {
    const rule = fromPosixRule(footer, seconds);
    if (rule) return rule;
  }
  let last = 0;
  while (last + 1 < times.length && times[last + 1] <= seconds) last++;
  return toZone(types[indices[last]] ?? types[0]);
}

function blockLength(data: Buffer, header: number, timeSize: number): number {
  const count = (i: number) => data.readUInt32BE(header + 20 + i * 4);
  const [isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt] = [0, 1, 2, 3, 4, 5].map(count);
  return timecnt * timeSize + timecnt + typecnt * 6 + charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt;
}

const toZone = (type: LocalType): Zone => ({ name: type.name, offsetSeconds: type.offset });

const NAME = '(<[^>]+>|[A-Za-z]{3,})';
const OFFSET = '([-+]?\\d{1,3}(?::\\d{2}){0,2})';
const POSIX = new RegExp(`^${NAME}${OFFSET}(?:${NAME}${OFFSET}?(?:,([^,]+),([^,]+))?)?$`);

/**
 * A POSIX TZ footer such as "CET-1CEST,M3.5.0,M10.5.0/3", evaluated for the instant as
 * Go's tzset does (including rules whose daylight time spans the new year).
 */
function fromPosixRule(rule: string, seconds: number): Zone | undefined {
  const match = POSIX.exec(rule);
  if (!match) return undefined;
  const unquote = (name: string) => name.replace(/^<|>$/g, '');
  let std: Zone = { name: unquote(match[1]), offsetSeconds: -posixSeconds(match[2]) };
  if (!match[3]) return std;
  let dst: Zone = {
    name: unquote(match[3]),
    offsetSeconds: match[4] ? -posixSeconds(match[4]) : std.offsetSeconds + 3600,
  };
  // Without explicit rules POSIX implies the US rules of 2007.
  const startRule = match[5] ?? 'M3.2.0';
  const endRule = match[6] ?? 'M11.1.0';
  const year = new Date(seconds * 1000).getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1) / 1000;
  let start = ruleSeconds(year, startRule, std.offsetSeconds);
  let end = ruleSeconds(year, endRule, dst.offsetSeconds);
  if (start === undefined || end === undefined) return undefined;
  if (end < start) {
    [start, end] = [end, start];
    [std, dst] = [dst, std];
  }
  const intoYear = seconds - yearStart;
  return intoYear >= start && intoYear < end ? dst : std;
}

/** Seconds from the start of the UTC year to a rule's transition (Jn, n or Mm.w.d[/time]). */
function ruleSeconds(year: number, rule: string, offset: number): number | undefined {
  const [date, time = '2'] = rule.split('/');
  let day: number;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (date.startsWith('J')) {
    const n = Number(date.slice(1));
    day = n - 1 + (leap && n >= 60 ? 1 : 0);
  } else if (date.startsWith('M')) {
    const [month, week, weekday] = date.slice(1).split('.').map(Number);
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    let dayOfMonth = ((weekday - first + 7) % 7) + 1;
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    for (let i = 1; i < week && dayOfMonth + 7 <= daysInMonth; i++) dayOfMonth += 7;
    day = (Date.UTC(year, month - 1, dayOfMonth) - Date.UTC(year, 0, 1)) / 86400000;
  } else {
    day = Number(date);
  }
  if (!Number.isFinite(day)) return undefined;
  return day * 86400 + posixSeconds(time) - offset;
}

function posixSeconds(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const [h, m = '0', s = '0'] = text.replace(/^[-+]/, '').split(':');
  return sign * (Number(h) * 3600 + Number(m) * 60 + Number(s));
}
