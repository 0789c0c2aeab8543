import { IncomingMessage, ServerResponse } from 'node:http';

import { DatasourceRecord } from './datasourceStore';
import { forwardRequest } from './forward';
import { TemplateError, interpolate } from './goTemplate';
import { sendJson } from './http';
import { SandboxUser, isOrgRole, roleIncludes } from './identity';
import { PluginRoute } from './pluginCatalog';
import { joinUrlFragments } from './proxy';

/** What Grafana's datasource proxy answers in place of the upstream's 401 (ds_proxy.go). */
export const AUTH_FAILED = 'Authentication to data source failed';

export interface DsProxyContext {
  datasource: DatasourceRecord;
  routes: PluginRoute[];
  /** Path below /api/datasources/proxy/uid/<uid>/, without the query. */
  proxyPath: string;
  search: string;
  user: SandboxUser;
  sendUserHeader: boolean;
  idToken?: string;
  log: (line: string) => void;
}

/**
 * Grafana's DataSourceProxy.validateRequest: the first route whose method (exact, "*" or empty)
 * matches and whose path is a plain string prefix of the request path wins (not the app proxy's
 * route tree); a role below its reqRole is refused at once.
 */
export function chooseDatasourceRoute(
  routes: PluginRoute[],
  method: string,
  proxyPath: string,
  user: SandboxUser,
): { route?: PluginRoute; denied?: boolean } {
  for (const route of routes) {
    if (route.method && route.method !== '*' && route.method !== method) {
      continue;
    }
    if (!proxyPath.startsWith(route.path ?? '')) {
      continue;
    }
    if (isOrgRole(route.reqRole) && !roleIncludes(user.role, route.reqRole)) {
      return { route, denied: true };
    }
    return { route };
  }
  return {};
}

/**
 * The request goes to the datasource URL plus the proxy path. A matched route adds its
 * interpolated headers; if it has a url, that url replaces the datasource URL and the route's
 * path prefix (ApplyRoute); without one the datasource URL and the whole path are kept.
 */
export function dsProxyRequest(req: IncomingMessage, res: ServerResponse, ctx: DsProxyContext): void {
  const method = req.method ?? 'GET';
  const ds = ctx.datasource;
  const log = (line: string) => ctx.log(`${method} ${ctx.proxyPath} -> ${line}`);
  let target: URL;
  try {
    target = new URL(ds.url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new Error('not http(s)');
    }
  } catch {
    log('400 (invalid datasource URL)');
    sendJson(res, 400, { message: `Invalid data source URL: ${JSON.stringify(ds.url)}` });
    return;
  }
  const choice = chooseDatasourceRoute(ctx.routes, method, ctx.proxyPath, ctx.user);
  if (choice.denied) {
    log(`403 (role ${ctx.user.role} < ${choice.route?.reqRole})`);
    sendJson(res, 403, { message: 'plugin proxy route access denied' });
    return;
  }
  target.pathname = joinUrlFragments(target.pathname, ctx.proxyPath);
  const headers: Record<string, string> = {};
  if (choice.route) {
    const route = choice.route;
    const template = { JsonData: ds.jsonData, SecureJsonData: ds.secureJsonData, URL: ds.url };
    try {
      if (route.url) {
        const routeUrl = new URL(interpolate(route.url, template));
        routeUrl.pathname = joinUrlFragments(routeUrl.pathname, ctx.proxyPath.slice((route.path ?? '').length));
        target = routeUrl;
      }
      for (const header of route.headers ?? []) {
        headers[header.name.toLowerCase()] = interpolate(header.content, template);
      }
    } catch (err) {
      log(`500 (${err instanceof Error ? err.message : String(err)})`);
      sendJson(res, 500, {
        message: err instanceof TemplateError ? 'Could not interpolate plugin route' : 'Could not parse url',
      });
      return;
    }
  }
  target.search = ctx.search;
  forwardRequest(req, res, {
    target,
    method,
    routeHeaders: { ...headers, 'user-agent': 'Grafana/sandbox' },
    user: ctx.user,
    sendUserHeader: ctx.sendUserHeader,
    idToken: ctx.idToken,
    // Grafana clears Origin and Referer; the browser's own credentials never reach the datasource.
    dropHeaders: ['origin', 'referer', 'authorization', 'x-ds-authorization'],
    unauthorizedAs400: AUTH_FAILED,
    log,
  });
}
