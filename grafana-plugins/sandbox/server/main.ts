/* global console */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { DatasourceInput } from './datasourceStore';
import { ProvisioningError, readDatasourceProvisioning } from './provisioning';
import { startSandbox } from './server';
import { SettingsUpdate, settingsUpdateOf } from './settingsStore';

// Bundled to dist/server.js: the sandbox's folder is one up, the plugins it loads by default (the
// fleet app's workspace, which holds the sandbox, and the datasource plugin) around it.
const SANDBOX = path.resolve(__dirname, '..');
const PLUGINS = path.resolve(SANDBOX, '..');
const DATASOURCE_PLUGIN = path.resolve(PLUGINS, '..', 'datasource-timescale', 'plugin');
/** The uid the --adapter-url shortcut gives its datasource (and the app's recent metrics use). */
const ADAPTER_DATASOURCE_UID = 'nester-metrics';

const HELP = `usage: npm run sandbox -- [flags]

The Nester plugin sandbox: a small stand-in for Grafana that loads the built plugins the way
Grafana does (SystemJS + AMD, shared modules), applies the app's and the datasources' proxy
routes (reqRole, templated URL and headers) and renders app pages, the config page, panels,
datasource settings and a datasource's query editor with a preview. For development and tests
only; it is not Grafana and not a product.

flags (environment variable in brackets):
  --listen-address HOST:PORT  where to listen [SANDBOX_LISTEN_ADDRESS] (default 127.0.0.1:3000)
  --plugins DIR               a plugin directory; repeatable (default: ${path.join(PLUGINS, 'dist')}
                              and ${path.join(DATASOURCE_PLUGIN, 'dist')})
  --data-dir DIR              where plugin settings are kept, secrets included, mode 0600
                              [SANDBOX_DATA_DIR] (default: ${path.join(PLUGINS, '.sandbox')})
  --user LOGIN                the signed-in user until the page signs in another (default admin)
  --role ROLE                 Viewer, Editor or Admin (default Admin)
  --no-send-user-header       do not send X-Grafana-User to proxy routes ([dataproxy] send_user_header)
  --id-forwarding             send a signed X-Grafana-Id (JWKS at /api/signing-keys/keys)
  --root-url URL              Grafana's root_url, the ID token issuer (default: the listen URL)
  --provisioning DIR          a Grafana provisioning directory, read as Grafana reads it at start:
                              plugins/ (app settings), datasources/, dashboards/ (file providers and
                              their JSON, shown at /d/<uid>); $VAR from the environment, and
                              GF_PATHS_PROVISIONING is DIR [GF_PATHS_PROVISIONING]
  --provision FILE            JSON {"<plugin id>": {"enabled", "jsonData", "secureJsonData"}} applied at start
  --datasources FILE          a Grafana datasource provisioning file (YAML or JSON, $VAR from the
                              environment); repeatable
  --nester-url URL            shortcut: enable nester-fleet-app with this nester URL
                              (its API token from NESTER_API_TOKEN)
  --adapter-url URL           shortcut: a "Fleet metrics" nester-timescale-datasource (uid
                              ${ADAPTER_DATASOURCE_UID}) for this timescale-adapter, read token from
                              ADAPTER_READ_TOKEN; the app's recent metrics use it when it is enabled
                              by --nester-url or a --provision file that names no other
  -h, --help                  this text
`;

function listenAddress(text: string): { host: string; port: number } {
  const match = /^(.*):(\d+)$/.exec(text);
  if (!match) {
    throw new Error(`--listen-address ${text}: expected HOST:PORT, e.g. 127.0.0.1:3000`);
  }
  return { host: match[1].replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(match[2]) };
}

/** --provision FILE: {"<plugin id>": settings update, ...}; a wrong shape is the file's fault. */
function readSettingsProvisioning(file: string): Record<string, SettingsUpdate> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ProvisioningError(`--provision ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ProvisioningError(`--provision ${file}: expected a JSON object of plugin id to settings`);
  }
  return Object.fromEntries(
    Object.entries(parsed).map(([id, update]) => {
      try {
        return [id, settingsUpdateOf(update)];
      } catch {
        throw new ProvisioningError(`--provision ${file}: the settings of ${id} must be a JSON object`);
      }
    }),
  );
}

export async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      'listen-address': { type: 'string', default: process.env.SANDBOX_LISTEN_ADDRESS ?? '127.0.0.1:3000' },
      plugins: { type: 'string', multiple: true },
      'data-dir': { type: 'string', default: process.env.SANDBOX_DATA_DIR ?? path.join(PLUGINS, '.sandbox') },
      user: { type: 'string', default: 'admin' },
      role: { type: 'string', default: 'Admin' },
      'no-send-user-header': { type: 'boolean', default: false },
      'id-forwarding': { type: 'boolean', default: false },
      'root-url': { type: 'string' },
      provisioning: { type: 'string', default: process.env.GF_PATHS_PROVISIONING },
      provision: { type: 'string' },
      'nester-url': { type: 'string' },
      datasources: { type: 'string', multiple: true },
      'adapter-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const provision = values.provision ? readSettingsProvisioning(values.provision) : {};
  const datasources: DatasourceInput[] = (values.datasources ?? []).flatMap(readDatasourceProvisioning);
  if (values['adapter-url']) {
    datasources.push({
      name: 'Fleet metrics',
      type: 'nester-timescale-datasource',
      uid: ADAPTER_DATASOURCE_UID,
      access: 'proxy',
      url: values['adapter-url'].replace(/\/+$/, ''),
      isDefault: true,
      jsonData: {},
      secureJsonData: process.env.ADAPTER_READ_TOKEN ? { readToken: process.env.ADAPTER_READ_TOKEN } : {},
      readOnly: false,
    });
  }
  if (values['nester-url']) {
    provision['nester-fleet-app'] = {
      enabled: true,
      pinned: true,
      jsonData: {
        nesterUrl: values['nester-url'].replace(/\/+$/, ''),
        ...(values['adapter-url'] ? { metricsDatasourceUid: ADAPTER_DATASOURCE_UID } : {}),
      },
      secureJsonData: process.env.NESTER_API_TOKEN ? { apiToken: process.env.NESTER_API_TOKEN } : undefined,
    };
  }
  const app = provision['nester-fleet-app'];
  if (values['adapter-url'] && app?.jsonData && !app.jsonData.metricsDatasourceUid) {
    // The app's recent metrics use the adapter's datasource unless the provisioning names another.
    app.jsonData = { ...app.jsonData, metricsDatasourceUid: ADAPTER_DATASOURCE_UID };
  }
  const { host, port } = listenAddress(values['listen-address']);
  const sandbox = await startSandbox({
    pluginRoots: values.plugins?.length ? values.plugins : [PLUGINS, DATASOURCE_PLUGIN],
    shellDir: path.join(SANDBOX, 'dist', 'public'),
    dataDir: values['data-dir'],
    host,
    port,
    defaultUser: { login: values.user, role: values.role },
    sendUserHeader: !values['no-send-user-header'],
    idForwarding: values['id-forwarding'],
    rootUrl: values['root-url'],
    provisioningDir: values.provisioning || undefined,
    provision,
    datasources,
    log: (line) => console.error(`${new Date().toISOString()} ${line}`),
  });
  console.error(
    `sandbox listening on ${sandbox.url} with ${sandbox.plugins.map((p) => p.meta.id).join(', ')} ` +
      `(a development stand-in for Grafana, not Grafana)`,
  );
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** 2 for what the command line or a provisioning file got wrong, 1 for anything else. */
export function exitCodeFor(err: unknown): number {
  return err instanceof ProvisioningError || (err instanceof Error && /--|expected/.test(err.message)) ? 2 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`sandbox: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(exitCodeFor(err));
  });
}
