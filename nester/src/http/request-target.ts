// The request target, read as sent. nester routes on the raw path and never normalises it: a URL
// parser would resolve `/api/v1/harvesters/../recordings/x` to an Admin path that a Grafana proxy
// route for Viewers let through (Grafana unescapes the `*` remainder, so `..%2F` arrives as `../`).
// Whatever another parser could read as a different path is refused with 400 instead.

import { HttpError } from '@nester/common/http/http-error';

export interface RequestTarget {
  /** The path as sent (percent-encoding kept), for messages and logs. */
  path: string;
  /** The path's segments, each percent-decoded once; empty segments are left out. */
  segments: string[];
  query: URLSearchParams;
}

/** Longer targets are refused before any work is done on them (Node already caps headers at 16 KiB). */
export const MAX_TARGET_LENGTH = 8192;

// RFC 9112 §3.2.2: servers accept the absolute form; its scheme and authority mean nothing here.
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;
const MALFORMED_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
// Encoded separators and dots (%2F %5C %2E), and NUL (%00), which PostgreSQL refuses.
const ENCODED_SEPARATOR = /%(2f|5c|2e|00)/i;

const bad = (message: string) => new HttpError(400, message);

/** Splits and checks a request target; throws a 400 HttpError saying what is wrong with it. */
export function parseRequestTarget(target: string | undefined): RequestTarget {
  let rest = target ?? '';
  if (rest.length > MAX_TARGET_LENGTH)
    throw new HttpError(414, `request target longer than ${MAX_TARGET_LENGTH} bytes`);
  const absolute = ABSOLUTE_FORM.exec(rest);
  if (absolute) rest = rest.slice(absolute[0].length) || '/';
  if (!rest.startsWith('/')) throw bad('request target must be a path such as /api/v1/harvesters');
  const mark = rest.indexOf('?');
  const path = mark < 0 ? rest : rest.slice(0, mark);
  const rawQuery = mark < 0 ? '' : rest.slice(mark + 1);

  if (path.includes('#')) throw bad('request path must not contain a fragment (#)');
  if (MALFORMED_ESCAPE.test(path) || MALFORMED_ESCAPE.test(rawQuery))
    throw bad('malformed percent-encoding in the request target (% must be followed by two hex digits)');
  if (ENCODED_SEPARATOR.test(path) || path.includes('\\'))
    throw bad(
      'request path contains an encoded separator, dot or NUL (%2F, %5C, %2E, %00) or a backslash; nester does not decode these in paths',
    );
  const raw = path.split('/');
  if (raw.some((segment) => segment === '.' || segment === '..'))
    throw bad('request path contains a dot segment (. or ..); send the path of the endpoint itself');
  const segments: string[] = [];
  for (const segment of raw) {
    if (!segment) continue;
    try {
      segments.push(decodeURIComponent(segment));
    } catch {
      throw bad('request path is not valid percent-encoded UTF-8');
    }
  }
  if (/%00/.test(rawQuery)) throw bad('query parameters must not contain NUL (%00)');
  return { path, segments, query: new URLSearchParams(rawQuery) };
}
