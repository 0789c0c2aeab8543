/**
 * Grafana's app plugin proxy matches a route by building a one-route web tree (pkg/web,
 * macaron's router) and matching the request path against it. This reproduces its rules
 * for the patterns plugins use: static segments, ":name" placeholders and "*" globs.
 * - Leading and trailing slashes are ignored on both sides.
 * - A trailing "*" takes the rest of the path, one or more segments (not zero).
 * - A "*" or ":name" elsewhere takes exactly one segment.
 * The "*" remainder is what Grafana appends to the route URL; without one, nothing is.
 */
export interface RouteMatch {
  matched: boolean;
  /** The remainder captured by "*", if the pattern has one. */
  rest?: string;
  params: Record<string, string>;
}

function segments(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? [''] : trimmed.split('/');
}

function unescape(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function matchRoute(pattern: string, path: string): RouteMatch {
  const want = segments(pattern);
  const have = segments(path);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i];
    const last = i === want.length - 1;
    if (part === '*' && last) {
      const rest = have.slice(i);
      if (rest.length === 0) {
        return { matched: false, params: {} };
      }
      const joined = unescape(rest.join('/'));
      if (joined === undefined) {
        return { matched: false, params: {} };
      }
      return { matched: true, rest: joined, params: { ...params, '*': joined } };
    }
    const segment = have[i] === undefined ? undefined : unescape(have[i]);
    if (segment === undefined) {
      return { matched: false, params: {} };
    }
    if (part === '*') {
      continue;
    }
    if (part.startsWith(':')) {
      params[part] = segment;
      continue;
    }
    if (part !== segment) {
      return { matched: false, params: {} };
    }
  }
  if (have.length !== want.length) {
    return { matched: false, params: {} };
  }
  return { matched: true, params };
}
