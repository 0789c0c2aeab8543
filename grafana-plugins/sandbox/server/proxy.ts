import { IncomingMessage, ServerResponse } from 'node:http';

import { TemplateData, TemplateError, interpolate } from './goTemplate';
import { SandboxUser, isOrgRole, roleIncludes } from './identity';
import { PluginRoute } from './pluginCatalog';
import { matchRoute } from './routeMatch';
import { forwardRequest } from './forward';

export interface ProxyContext {
  routes: PluginRoute[];
  /** Path below /api/plugin-proxy/<app id>/, without the query. */
  proxyPath: string;
  /** The query string of the incoming request, "" or "?a=b". */
  search: string;
  user: SandboxUser;
  template: TemplateData;
  sendUserHeader: boolean;
  /** A signed X-Grafana-Id for the user, when ID forwarding is on. */
  idToken?: string;
  log: (line: string) => void;
}

export interface RouteChoice {
  route?: PluginRoute;
  rest?: string;
  denied?: boolean;
}

/**
 * Grafana's PluginProxy.HandleRequest: the first route whose method (exact, "*" or empty)
 * and path match wins; if the user's role is below its reqRole the answer is 403 at once,
 * even if a later route would have allowed it.
 */
export function chooseRoute(routes: PluginRoute[], method: string, proxyPath: string, user: SandboxUser): RouteChoice {
  for (const route of routes) {
    if (route.method && route.method !== '*' && route.method !== method) {
      continue;
    }
    const match = matchRoute(route.path, proxyPath);
    if (!match.matched) {
      continue;
    }
    if (isOrgRole(route.reqRole) && !roleIncludes(user.role, route.reqRole)) {
      return { route, denied: true };
    }
    return { route, rest: match.rest };
  }
  return {};
}

/**
 * Go's URL.EscapedPath for a path Go holds decoded: escapes what a path cannot carry, byte by byte
 * in upper-case hex, and never resolves `.` or `..` segments, which Go's reverse proxy forwards as
 * they are.
 */
export function goEscapedPath(path: string): string {
  let out = '';
  for (const byte of Buffer.from(path, 'utf8')) {
    const c = String.fromCharCode(byte);
    out +=
      byte < 0x80 && /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Go's util.JoinURLFragments. */
export function joinUrlFragments(a: string, b: string): string {
  if (b === '') {
    return a;
  }
  const aSlash = a.endsWith('/');
  const bSlash = b.startsWith('/');
  if (aSlash && bSlash) {
    return a + b.slice(1);
  }
  if (!aSlash && !bSlash) {
    return `${a}/${b}`;
  }
  return a + b;
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export function proxyRequest(req: IncomingMessage, res: ServerResponse, ctx: ProxyContext): void {
  const method = req.method ?? 'GET';
  const choice = chooseRoute(ctx.routes, method, ctx.proxyPath, ctx.user);
  if (choice.denied) {
    ctx.log(`${method} ${ctx.proxyPath} -> 403 (role ${ctx.user.role} < ${choice.route?.reqRole})`);
    sendJson(res, 403, { message: 'plugin proxy route access denied' });
    return;
  }
  if (!choice.route) {
    ctx.log(`${method} ${ctx.proxyPath} -> 404 (no route)`);
    sendJson(res, 404, { message: 'plugin route match not found' });
    return;
  }
  const route = choice.route;
  let target: URL;
  const headers: Record<string, string> = {};
  let body: string | undefined;
  try {
    target = new URL(interpolate(route.url ?? '', ctx.template));
    for (const header of route.headers ?? []) {
      headers[header.name.toLowerCase()] = interpolate(header.content, ctx.template);
    }
    if (route.body !== undefined) {
      body = interpolate(JSON.stringify(route.body), ctx.template);
    }
  } catch (err) {
    const message = err instanceof TemplateError ? 'Could not interpolate plugin route url' : 'Could not parse url';
    ctx.log(`${method} ${ctx.proxyPath} -> 500 (${err instanceof Error ? err.message : String(err)})`);
    sendJson(res, 500, { message });
    return;
  }
  // Grafana joins the decoded wildcard remainder onto the route's path as a string: a `..` in it
  // reaches the upstream as sent (WHATWG's pathname setter would resolve it here instead).
  const path = goEscapedPath(joinUrlFragments(decodeURIComponent(target.pathname), choice.rest ?? '')) + ctx.search;

  forwardRequest(req, res, {
    target,
    path,
    method,
    routeHeaders: headers,
    body,
    user: ctx.user,
    sendUserHeader: ctx.sendUserHeader,
    idToken: ctx.idToken,
    log: (line) => ctx.log(`${method} ${ctx.proxyPath} -> ${line}`),
  });
}
