// Request parameters of Prometheus' HTTP API, read as Prometheus 2.42 reads them
// (web/api/v1/api.go): the form of query string and url-encoded POST body, times in Unix
// seconds or RFC 3339, `match[]` selectors. Errors carry Prometheus' own words, which clients
// show and the differential test compares (test/prometheus-api.e2e.test.ts).

import { HttpError } from '@nester/common/http/http-error';
import { RegexSyntaxError } from '@nester/common/regex/re2';
import { quote } from '../promql/literals';
import { compileMatcher, MatcherError, type Matcher } from '../query/matchers';
import { parseSelector } from '../query/selector';

import { clampTime, MAX_TIME_MS, MIN_TIME_MS } from '../query/time-bounds';

/** A 400 `bad_data` answer with Prometheus' words. */
export function badData(message: string): HttpError {
  return new HttpError(400, message);
}

/**
 * The request's form: an `application/x-www-form-urlencoded` POST body, then the query string (a
 * body's value comes first, as in Go's r.Form and FormValue), decoded
 * as Go's url.ParseQuery decodes (`+` is a space; a bad `%` escape or a `;` is an error, which
 * endpoints calling ParseForm answer and the others ignore, as Prometheus' do).
 */
export interface Form {
  get(name: string): string;
  getAll(name: string): string[];
  /** Go's ParseForm error, if the query or body did not parse. */
  error?: string;
}

export function parseForm(rawQuery: string, body?: string): Form {
  const values = new Map<string, string[]>();
  let error: string | undefined;
  for (const text of body === undefined ? [rawQuery] : [body, rawQuery]) {
    for (const pair of text.split('&')) {
      if (!pair) continue;
      if (pair.includes(';')) {
        error ??= 'invalid semicolon separator in query';
        continue;
      }
      const eq = pair.indexOf('=');
      const key = unescapeQuery(eq < 0 ? pair : pair.slice(0, eq));
      const value = unescapeQuery(eq < 0 ? '' : pair.slice(eq + 1));
      if (typeof key !== 'string') {
        error ??= key.error;
        continue;
      }
      if (typeof value !== 'string') {
        error ??= value.error;
        continue;
      }
      const list = values.get(key) ?? [];
      list.push(value);
      values.set(key, list);
    }
  }
  return {
    get: (name) => values.get(name)?.[0] ?? '',
    getAll: (name) => values.get(name) ?? [],
    error,
  };
}

/** Go's url.QueryUnescape; bytes that are not UTF-8 become U+FFFD (Go keeps them raw). */
function unescapeQuery(text: string): string | { error: string } {
  if (!text.includes('%') && !text.includes('+')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return { error: `invalid URL escape ${goQuote(text.slice(i, i + 3))}` };
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === '+') bytes.push(0x20);
    else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Go's %q (strconv.Quote), as Prometheus quotes values in its messages. */
export const goQuote = quote;

/** ParseForm, for the endpoints that call it (series): its error is a 400. */
export function requireParsedForm(form: Form): void {
  if (form.error) throw badData(`error parsing form values: ${form.error}`);
}

/** Prometheus' parseTime: Unix seconds (float, ms resolution) or RFC 3339; ms since the epoch. */
export function parseTime(text: string): number | undefined {
  if (/^[+-]?(inf|infinity|nan)$/i.test(text)) return MIN_TIME_MS; // Go: int64(NaN or ±Inf) is math.MinInt64
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const seconds = Number(text);
    if (!Number.isFinite(seconds)) return undefined; // ParseFloat's "value out of range"
    // Stored samples lie within years 1-9999, so times beyond are clamped to them.
    return clampTime(Math.trunc(seconds) * 1000 + Math.round((seconds - Math.trunc(seconds)) * 1000));
  }
  // v1.MinTime and v1.MaxTime formatted, which clients send for "no bound".
  if (text === '-292273086-05-16T16:47:06Z') return MIN_TIME_MS;
  if (text === '292277025-08-18T07:12:54.999999999Z') return MAX_TIME_MS;
  const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  if (!rfc3339) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone] = rfc3339;
  const fields = [month, day, hour, minute, second].map(Number);
  if (fields[0] < 1 || fields[0] > 12 || fields[1] < 1 || fields[2] > 23 || fields[3] > 59 || fields[4] > 59) {
    return undefined;
  }
  const base = Date.UTC(Number(year), fields[0] - 1, fields[1], fields[2], fields[3], fields[4]);
  if (new Date(base).getUTCDate() !== fields[1]) return undefined; // 31 February
  const offset = /^[Zz]$/.test(zone)
    ? 0
    : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
  const withYear = new Date(base);
  withYear.setUTCFullYear(Number(year)); // years 0-99 are not 1900-1999
  return clampTime(withYear.getTime() - offset * 60_000 + Math.floor(Number(`0${fraction || '.0'}`) * 1000));
}

/** Prometheus' parseTimeParam: undefined when absent, a 400 in Prometheus' words when bad. */
export function timeParam(form: Form, name: 'start' | 'end'): number | undefined {
  const text = form.get(name);
  if (text === '') return undefined;
  const ms = parseTime(text);
  if (ms === undefined) {
    throw badData(
      `invalid parameter ${goQuote(name)}: Invalid time value for '${name}': cannot parse ${goQuote(text)} to a valid timestamp`,
    );
  }
  return ms;
}

/** start/end of series, labels and label values: undefined where the whole time is meant. */
export interface TimeRange {
  startMs: number;
  endMs: number;
}

export function timeRangeParams(form: Form): TimeRange | undefined {
  const start = timeParam(form, 'start');
  const end = timeParam(form, 'end');
  if (start === undefined && end === undefined) return undefined;
  return { startMs: start ?? MIN_TIME_MS, endMs: end ?? MAX_TIME_MS };
}

/**
 * Prometheus' parseMatchersParam: each `match[]` a series selector, each with one matcher that
 * does not match "". `context` prefixes the error as the endpoint does (series: `invalid
 * parameter "match[]": `; labels and label values: nothing).
 */
export function matchersParam(form: Form, prefix: string): Matcher[][] {
  const sets: Matcher[][] = [];
  try {
    for (const text of form.getAll('match[]')) {
      // `{}` parses in Prometheus (no matchers) and is then refused below, with those words.
      sets.push(/^\s*\{\s*\}\s*$/.test(text) ? [] : parseSelector(text).map(compileMatcher));
    }
  } catch (err) {
    if (err instanceof MatcherError || err instanceof RegexSyntaxError) throw badData(`${prefix}${err.message}`);
    throw err;
  }
  if (sets.some((set) => set.every((m) => m.matches('')))) {
    throw badData(`${prefix}match[] must contain at least one non-empty matcher`);
  }
  return sets;
}

/** Prometheus' label name rule (model.LabelName.IsValid in 2.42). */
export function isLabelName(name: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name);
}
