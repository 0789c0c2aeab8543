import { DatasourceRecord } from './datasourceStore';
import { InstalledPlugin } from './pluginCatalog';
import { SandboxUser } from './identity';
import { PluginSettings, secureJsonFields } from './settingsStore';

export const SANDBOX_GRAFANA_VERSION = '12.2.5';

/** Grafana's plugin settings DTO (GET /api/plugins/:id/settings), the fields plugins read. */
export function pluginSettingsDto(plugin: InstalledPlugin, settings: PluginSettings, enabled: boolean) {
  const { meta } = plugin;
  return {
    id: meta.id,
    name: meta.name,
    type: meta.type,
    info: { ...meta.info, logos: logoUrls(plugin) },
    includes: meta.includes ?? [],
    dependencies: meta.dependencies ?? {},
    module: `${plugin.baseUrl}/module.js`,
    baseUrl: plugin.baseUrl,
    enabled,
    pinned: settings.pinned,
    autoEnabled: false,
    skipDataQuery: Boolean(meta.skipDataQuery),
    // Datasource capabilities, as Grafana's plugin meta carries them.
    metrics: Boolean(meta.metrics),
    annotations: Boolean(meta.annotations),
    logs: Boolean(meta.logs),
    category: meta.category,
    queryOptions: meta.queryOptions ?? {},
    includedInAppId: plugin.includedInAppId,
    jsonData: settings.jsonData,
    secureJsonFields: secureJsonFields(settings),
    defaultNavUrl: `/plugins/${meta.id}/`,
    loadingStrategy: 'fetch',
    signature: 'unsigned',
    state: '',
  };
}

function logoUrls(plugin: InstalledPlugin) {
  const logos = plugin.meta.info.logos ?? {};
  const resolve = (file?: string) => (file ? `${plugin.baseUrl}/${file}` : '');
  return { small: resolve(logos.small), large: resolve(logos.large) };
}

type PluginDto = ReturnType<typeof pluginSettingsDto>;

/**
 * Grafana's frontend settings entry of a datasource (pkg/api/frontendsettings.go): with proxy
 * access its url is Grafana's proxy path, never the datasource's own address.
 */
function datasourceSettings(record: DatasourceRecord, meta: PluginDto) {
  return {
    id: record.id,
    uid: record.uid,
    type: record.type,
    name: record.name,
    meta,
    url: record.access === 'proxy' ? `/api/datasources/proxy/uid/${record.uid}` : record.url,
    access: record.access,
    jsonData: record.jsonData,
    isDefault: record.isDefault,
    readOnly: record.readOnly,
    module: meta.module,
  };
}

/** window.grafanaBootData: what @grafana/runtime's `config` is built from at load time. */
export function bootData(options: {
  user: SandboxUser;
  appUrl: string;
  plugins: PluginDto[];
  datasources?: DatasourceRecord[];
  idForwarding: boolean;
}) {
  const { user, appUrl, plugins } = options;
  const datasources = Object.fromEntries(
    (options.datasources ?? []).flatMap((record) => {
      const meta = plugins.find((p) => p.id === record.type && p.type === 'datasource');
      return meta ? [[record.name, datasourceSettings(record, meta)]] : [];
    }),
  );
  const panels = Object.fromEntries(
    plugins
      .filter((p) => p.type === 'panel')
      .map((p) => [
        p.id,
        {
          id: p.id,
          name: p.name,
          info: p.info,
          module: p.module,
          baseUrl: p.baseUrl,
          skipDataQuery: p.skipDataQuery,
          sort: 100,
          loadingStrategy: 'fetch',
        },
      ]),
  );
  const apps = Object.fromEntries(
    plugins
      .filter((p) => p.type === 'app' && p.enabled)
      .map((p) => [
        p.id,
        { id: p.id, path: p.module, version: p.info.version, preload: false, loadingStrategy: 'fetch' },
      ]),
  );
  return {
    settings: {
      appUrl,
      appSubUrl: '',
      buildInfo: {
        version: SANDBOX_GRAFANA_VERSION,
        commit: 'sandbox',
        env: 'production',
        edition: 'Nester plugin sandbox',
      },
      panels,
      apps,
      datasources,
      featureToggles: { idForwarding: options.idForwarding },
      defaultDatasource: (options.datasources ?? []).find((d) => d.isDefault)?.name ?? '',
    },
    user: {
      id: user.id,
      uid: user.uid,
      login: user.login,
      name: user.name,
      email: user.email,
      orgId: 1,
      orgName: 'Main Org.',
      orgRole: user.role,
      isSignedIn: true,
      isGrafanaAdmin: false,
      theme: 'dark',
      timezone: 'browser',
      locale: 'en-US',
      language: 'en-US',
    },
    navTree: [],
  };
}

/** The single page, with boot data inlined before the shell script as Grafana's index.html does. */
export function indexHtml(boot: object): string {
  const json = JSON.stringify(boot).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Nester plugin sandbox</title>
<link rel="icon" href="data:,">
<style>html,body,#root{height:100%;margin:0}</style>
<link rel="stylesheet" href="/public/sandbox/shell.css">
<script>window.grafanaBootData = ${json}; window.__grafana_public_path__ = '/public/build/';</script>
</head>
<body>
<div id="root"></div>
<script type="module" src="/public/sandbox/shell.js"></script>
</body>
</html>`;
}
