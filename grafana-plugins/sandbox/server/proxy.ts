import http, { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';

import { TemplateData, TemplateError, interpolate } from './goTemplate';
import { SandboxUser, isOrgRole, roleIncludes } from './identity';
import { PluginRoute } from './pluginCatalog';
import { matchRoute } from './routeMatch';

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

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

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
  target.pathname = joinUrlFragments(target.pathname, choice.rest ?? '');
  target.search = ctx.search;

  const outgoing: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    const lower = name.toLowerCase();
    if (
      HOP_BY_HOP.includes(lower) ||
      ['cookie', 'set-cookie', 'host', 'x-grafana-user', 'x-grafana-id'].includes(lower)
    ) {
      continue;
    }
    outgoing[lower] = value;
  }
  const client = req.socket.remoteAddress ?? '';
  const forwardedFor = req.headers['x-forwarded-for'];
  outgoing['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${client}` : client;
  if (ctx.sendUserHeader) {
    outgoing['x-grafana-user'] = ctx.user.login;
  }
  if (ctx.idToken) {
    outgoing['x-grafana-id'] = ctx.idToken;
  }
  Object.assign(outgoing, headers);
  if (body !== undefined) {
    outgoing['content-length'] = Buffer.byteLength(body);
  }

  const transport = target.protocol === 'https:' ? https : http;
  const upstream = transport.request(target, { method, headers: outgoing }, (answer) => {
    const responseHeaders = { ...answer.headers };
    delete responseHeaders['set-cookie'];
    for (const name of HOP_BY_HOP) {
      delete responseHeaders[name];
    }
    ctx.log(`${method} ${ctx.proxyPath} -> ${target.origin}${target.pathname} ${answer.statusCode}`);
    res.writeHead(answer.statusCode ?? 502, responseHeaders);
    answer.pipe(res);
  });
  upstream.setTimeout(30_000, () => upstream.destroy(new Error('upstream timed out')));
  upstream.on('error', (err) => {
    ctx.log(`${method} ${ctx.proxyPath} -> 502 (${err.message})`);
    if (!res.headersSent) {
      const timedOut = err.message === 'upstream timed out';
      res.writeHead(timedOut ? 504 : 502, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(timedOut ? 'Gateway Timeout' : 'Bad Gateway');
    } else {
      res.destroy();
    }
  });
  req.on('aborted', () => upstream.destroy());
  if (body !== undefined) {
    upstream.end(body);
  } else {
    req.pipe(upstream);
  }
}
