import { IncomingMessage, ServerResponse } from 'node:http';

import { DatasourceInput, DatasourceStore, datasourceDto } from './datasourceStore';
import { PROMETHEUS_TYPE, prometheusHealth, prometheusResource } from './prometheusBackend';
import { dsProxyRequest } from './dsProxy';
import { HttpError, readJson, sendJson } from './http';
import { SandboxUser, roleIncludes } from './identity';
import { InstalledPlugin } from './pluginCatalog';

export interface DatasourceApiContext {
  store: DatasourceStore;
  plugins: Map<string, InstalledPlugin>;
  user: SandboxUser;
  sendUserHeader: boolean;
  idToken?: string;
  log: (line: string) => void;
}

function requireAdmin(user: SandboxUser) {
  if (!roleIncludes(user.role, 'Admin')) {
    throw new HttpError(403, 'Permission denied: only organisation admins manage data sources');
  }
}

async function inputOf(req: IncomingMessage): Promise<DatasourceInput> {
  const body = await readJson(req);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'Send the data source as a JSON object');
  }
  const input = body as Record<string, unknown>;
  const object = (value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    name: text(input.name),
    type: text(input.type),
    uid: text(input.uid),
    access: input.access === 'direct' ? 'direct' : input.access === 'proxy' ? 'proxy' : undefined,
    url: text(input.url),
    isDefault: typeof input.isDefault === 'boolean' ? input.isDefault : undefined,
    jsonData: object(input.jsonData),
    secureJsonData: object(input.secureJsonData),
  };
}

/**
 * Grafana's datasource HTTP API as the sandbox needs it (/api/datasources…), and the datasource
 * proxy (/api/datasources/proxy/uid/<uid>/…). Returns false when the path is not one of them.
 */
export async function handleDatasourceApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: DatasourceApiContext,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  const proxy = /^\/api\/datasources\/proxy\/uid\/([^/]+)\/?(.*)$/.exec(url.pathname);
  if (proxy) {
    const datasource = ctx.store.get(decodeURIComponent(proxy[1]));
    if (!datasource) {
      throw new HttpError(404, 'Unable to find datasource');
    }
    const plugin = ctx.plugins.get(datasource.type);
    dsProxyRequest(req, res, {
      datasource,
      routes: plugin?.meta.routes ?? [],
      proxyPath: proxy[2],
      search: url.search,
      user: ctx.user,
      sendUserHeader: ctx.sendUserHeader,
      idToken: ctx.idToken,
      log: (line) => ctx.log(`dsproxy ${datasource.uid} ${ctx.user.login}(${ctx.user.role}) ${line}`),
    });
    return true;
  }
  const backend = /^\/api\/datasources\/uid\/([^/]+)\/(?:resources\/(.*)|health)$/.exec(url.pathname);
  if (backend) {
    // Backend datasources: only Grafana's built-in Prometheus has its server half here.
    const datasource = ctx.store.get(decodeURIComponent(backend[1]));
    if (!datasource) {
      throw new HttpError(404, 'Data source not found');
    }
    if (datasource.type !== PROMETHEUS_TYPE) {
      throw new HttpError(404, `the sandbox has no backend for datasources of type ${datasource.type}`);
    }
    const backendCtx = { datasource, user: ctx.user, log: ctx.log };
    if (backend[2] === undefined) {
      await prometheusHealth(res, backendCtx);
    } else {
      prometheusResource(req, res, backend[2], url.search, backendCtx);
    }
    return true;
  }
  if (url.pathname === '/api/datasources') {
    requireAdmin(ctx.user);
    if (method === 'GET') {
      sendJson(res, 200, ctx.store.list().map(datasourceDto));
      return true;
    }
    if (method === 'POST') {
      const created = ctx.store.create({ access: 'proxy', ...(await inputOf(req)), readOnly: false });
      ctx.log(`data source ${created.uid} (${created.type}) created by ${ctx.user.login}`);
      sendJson(res, 200, {
        datasource: datasourceDto(created),
        id: created.id,
        name: created.name,
        message: 'Datasource added',
      });
      return true;
    }
    throw new HttpError(405, 'Method not allowed');
  }
  const one = /^\/api\/datasources\/uid\/([^/]+)$/.exec(url.pathname);
  if (!one) {
    return false;
  }
  requireAdmin(ctx.user);
  const uid = decodeURIComponent(one[1]);
  if (method === 'GET') {
    const record = ctx.store.get(uid);
    if (!record) {
      throw new HttpError(404, 'Data source not found');
    }
    sendJson(res, 200, datasourceDto(record));
  } else if (method === 'PUT') {
    const { uid: _ignored, ...input } = await inputOf(req);
    const updated = ctx.store.update(uid, input);
    ctx.log(`data source ${uid} updated by ${ctx.user.login}`);
    sendJson(res, 200, {
      datasource: datasourceDto(updated),
      id: updated.id,
      name: updated.name,
      message: 'Datasource updated',
    });
  } else if (method === 'DELETE') {
    ctx.store.delete(uid);
    sendJson(res, 200, { message: 'Data source deleted' });
  } else {
    throw new HttpError(405, 'Method not allowed');
  }
  return true;
}
