import fs from 'node:fs';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';

import { bootData, indexHtml, pluginSettingsDto } from './bootData';
import { handleDashboardApi } from './dashboardApi';
import { handleDatasourceApi } from './datasourceApi';
import { handleDsQuery } from './dsQuery';
import { DatasourceInput, DatasourceStore } from './datasourceStore';
import { HttpError, readJson, sendJson } from './http';
import { SandboxUser, SessionSigner, isOrgRole, makeUser, roleIncludes } from './identity';
import { IdTokenSigner } from './idToken';
import { InstalledPlugin, loadPlugins } from './pluginCatalog';
import { ProvisionedDashboard, readProvisioningDir } from './provisioningDir';
import { proxyRequest } from './proxy';
import { SettingsStore, SettingsUpdate, settingsUpdateOf } from './settingsStore';
import { serveFile } from './staticFiles';

export interface SandboxOptions {
  /** Plugin directories (each with plugin.json, or a dist/ holding one). */
  pluginRoots: string[];
  /** Built-in plugin directories; default: those built into dist/core (corePluginRoots). */
  corePlugins?: string[];
  /** The built browser shell (shell.js). */
  shellDir: string;
  /** Where plugin settings persist; none keeps them in memory. */
  dataDir?: string;
  host?: string;
  port?: number;
  /** Who is signed in until the shell signs in someone else. */
  defaultUser?: { login: string; role: string };
  /** Grafana's [dataproxy] send_user_header. */
  sendUserHeader?: boolean;
  /** Grafana's idForwarding feature toggle: X-Grafana-Id on proxied requests. */
  idForwarding?: boolean;
  /** Grafana's root_url, the ID token issuer; defaults to the listening URL. */
  rootUrl?: string;
  /** Settings to apply at start, as Grafana's app provisioning does. */
  provision?: Record<string, SettingsUpdate>;
  /** Datasources to create or update at start, as Grafana's datasource provisioning does. */
  datasources?: DatasourceInput[];
  /**
   * A Grafana provisioning directory (plugins/, datasources/, dashboards/) read at start, its
   * $VARs from `env` (default process.env); `provision` and `datasources` are applied after it.
   */
  provisioningDir?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface Sandbox {
  url: string;
  server: http.Server;
  plugins: InstalledPlugin[];
  close(): Promise<void>;
}

/**
 * Grafana's built-in plugins the sandbox serves as Grafana does (build-core.js builds them into
 * dist/core/<id>/): Prometheus, from @grafana/prometheus. None when they are not built.
 */
export function corePluginRoots(sandboxDir = path.resolve(__dirname, '..')): string[] {
  const core = path.join(sandboxDir, 'dist', 'core');
  return fs.existsSync(core)
    ? fs
        .readdirSync(core)
        .map((id) => path.join(core, id))
        .filter((dir) => fs.existsSync(path.join(dir, 'module.js')))
    : [];
}

const grafanaUiImages = path.join(path.dirname(require.resolve('@grafana/ui')), '..', 'public', 'img');

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const log = options.log ?? (() => undefined);
  const plugins = loadPlugins([...options.pluginRoots, ...(options.corePlugins ?? corePluginRoots())]);
  const byId = new Map(plugins.map((plugin) => [plugin.meta.id, plugin]));
  const provisioned = options.provisioningDir ? readProvisioningDir(options.provisioningDir, options.env) : undefined;
  const dashboards: ProvisionedDashboard[] = provisioned?.dashboards ?? [];
  const store = new SettingsStore(options.dataDir);
  for (const [id, update] of [...Object.entries(provisioned?.apps ?? {}), ...Object.entries(options.provision ?? {})]) {
    if (!byId.has(id)) {
      throw new Error(`provisioned settings name plugin ${id}, which is not installed`);
    }
    store.update(id, update);
  }
  const datasourceStore = new DatasourceStore(options.dataDir, (type) => byId.get(type)?.meta.type === 'datasource');
  for (const datasource of [...(provisioned?.datasources ?? []), ...(options.datasources ?? [])]) {
    try {
      datasourceStore.provision(datasource);
    } catch (err) {
      throw new Error(
        `provisioned datasource ${datasource.name}: ${err instanceof Error ? err.message : String(err)}`,
        {
          cause: err,
        },
      );
    }
  }
  const fallbackRole = options.defaultUser?.role ?? 'Admin';
  if (!isOrgRole(fallbackRole)) {
    throw new Error(`unknown role ${fallbackRole}: use Viewer, Editor or Admin`);
  }
  const sessions = new SessionSigner(makeUser(options.defaultUser?.login ?? 'admin', fallbackRole));
  let signer: IdTokenSigner | undefined;

  const isEnabled = (plugin: InstalledPlugin): boolean => {
    if (plugin.includedInAppId) {
      // Grafana: "app child plugins are disabled unless app is enabled".
      return store.get(plugin.includedInAppId).enabled;
    }
    return plugin.meta.type === 'app' ? store.get(plugin.meta.id).enabled : true;
  };
  const dto = (plugin: InstalledPlugin) => pluginSettingsDto(plugin, store.get(plugin.meta.id), isEnabled(plugin));
  const requireAdmin = (user: SandboxUser) => {
    if (!roleIncludes(user.role, 'Admin')) {
      throw new HttpError(403, 'Permission denied');
    }
  };

  const boot = (user: SandboxUser, appUrl: string) =>
    bootData({
      user,
      appUrl,
      plugins: plugins.map(dto),
      datasources: datasourceStore.list(),
      idForwarding: signer !== undefined,
    });

  async function handle(req: IncomingMessage, res: ServerResponse, baseUrl: string) {
    const url = new URL(req.url ?? '/', baseUrl);
    const pathname = url.pathname;
    const method = req.method ?? 'GET';
    const user = sessions.userOf(req);

    if (pathname.startsWith('/public/plugins/')) {
      const relative = pathname.slice(1);
      const owner = plugins
        .filter((plugin) => relative === plugin.baseUrl || relative.startsWith(`${plugin.baseUrl}/`))
        .sort((a, b) => b.baseUrl.length - a.baseUrl.length)[0];
      if (!owner || !serveFile(res, owner.dir, relative.slice(owner.baseUrl.length + 1))) {
        sendJson(res, 404, { message: 'Not found' });
      }
      return;
    }
    if (pathname.startsWith('/public/build/img/')) {
      // Grafana UI's icons, which its Icon component fetches from the public path.
      if (!serveFile(res, grafanaUiImages, pathname.slice('/public/build/img/'.length))) {
        sendJson(res, 404, { message: 'Not found' });
      }
      return;
    }
    if (pathname.startsWith('/public/sandbox/')) {
      if (!serveFile(res, options.shellDir, pathname.slice('/public/sandbox/'.length))) {
        sendJson(res, 404, { message: 'Not found (build the sandbox shell: node sandbox/build.js)' });
      }
      return;
    }
    if (pathname === '/api/signing-keys/keys') {
      sendJson(res, 200, signer ? signer.jwks() : { keys: [] }, { 'Cache-Control': 'public, max-age=3600' });
      return;
    }
    if (pathname === '/api/user') {
      sendJson(res, 200, { ...user, orgId: 1, isGrafanaAdmin: false });
      return;
    }
    if (pathname === '/sandbox/api/login' && method === 'POST') {
      const body = (await readJson(req)) as { login?: unknown; role?: unknown } | null;
      if (!body || typeof body.login !== 'string' || !isOrgRole(body.role)) {
        throw new HttpError(400, 'Send {"login": "...", "role": "Viewer|Editor|Admin"}');
      }
      const next = makeUser(body.login, body.role);
      sendJson(res, 200, next, { 'Set-Cookie': sessions.cookieFor(next) });
      return;
    }
    if (pathname === '/api/plugins' && method === 'GET') {
      sendJson(res, 200, plugins.map(dto));
      return;
    }
    const settingsMatch = /^\/api\/plugins\/([^/]+)\/settings\/?$/.exec(pathname);
    if (settingsMatch) {
      const plugin = byId.get(decodeURIComponent(settingsMatch[1]));
      if (!plugin) {
        throw new HttpError(404, 'Plugin not found, no installed plugin with that id');
      }
      if (method === 'GET') {
        sendJson(res, 200, dto(plugin));
        return;
      }
      if (method === 'POST') {
        requireAdmin(user);
        store.update(plugin.meta.id, settingsUpdateOf(await readJson(req)));
        log(`plugin settings of ${plugin.meta.id} updated by ${user.login}`);
        sendJson(res, 200, { message: 'Plugin settings updated' });
        return;
      }
      throw new HttpError(405, 'Method not allowed');
    }
    if (pathname === '/api/ds/query') {
      if (method !== 'POST') throw new HttpError(405, 'Method not allowed');
      await handleDsQuery(req, res, datasourceStore, log);
      return;
    }
    if (pathname.startsWith('/api/datasources')) {
      const handled = await handleDatasourceApi(req, res, url, {
        store: datasourceStore,
        plugins: byId,
        user,
        sendUserHeader: options.sendUserHeader ?? true,
        idToken: signer?.sign(user),
        log,
      });
      if (handled) {
        return;
      }
    }
    if (pathname === '/api/search' || pathname.startsWith('/api/dashboards/')) {
      if (handleDashboardApi(res, method, url, dashboards)) {
        return;
      }
    }
    if (pathname === '/api/frontend/settings') {
      sendJson(res, 200, boot(user, baseUrl).settings);
      return;
    }
    const proxyMatch = /^\/api\/plugin-proxy\/([^/]+)\/?(.*)$/.exec(pathname);
    if (proxyMatch) {
      const plugin = byId.get(decodeURIComponent(proxyMatch[1]));
      if (!plugin || plugin.meta.type !== 'app') {
        throw new HttpError(404, 'Plugin not found');
      }
      const settings = store.get(plugin.meta.id);
      proxyRequest(req, res, {
        routes: plugin.meta.routes ?? [],
        proxyPath: decodedPath(proxyMatch[2]),
        search: url.search,
        user,
        template: { JsonData: settings.jsonData, SecureJsonData: settings.secureJsonData },
        sendUserHeader: options.sendUserHeader ?? true,
        idToken: signer?.sign(user),
        log: (line) => log(`proxy ${plugin.meta.id} ${user.login}(${user.role}) ${line}`),
      });
      return;
    }
    if (pathname.startsWith('/api/') || pathname.startsWith('/public/')) {
      // Grafana's fonts and images are not in npm packages; a 404 lets the browser fall back.
      throw new HttpError(404, 'Not found');
    }
    if (method !== 'GET') {
      throw new HttpError(405, 'Method not allowed');
    }
    const html = indexHtml(boot(user, baseUrl));
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html);
  }

  let baseUrl = '';
  const server = http.createServer((req, res) => {
    handle(req, res, baseUrl).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) {
        log(`error on ${req.method} ${req.url}: ${err instanceof Error ? err.stack : String(err)}`);
      }
      if (!res.headersSent) {
        sendJson(res, status, { message: err instanceof Error ? err.message : 'Internal error' });
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}/`;
  if (options.idForwarding) {
    signer = new IdTokenSigner(options.rootUrl ?? baseUrl);
  }
  return {
    url: baseUrl,
    server,
    plugins,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Go hands its routers the decoded path (`%2F` is `/`) and refuses a malformed escape with 400. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new HttpError(400, 'malformed percent-escape in the request path');
  }
}
