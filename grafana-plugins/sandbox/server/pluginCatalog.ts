import fs from 'node:fs';
import path from 'node:path';

/** A plugin.json route, as Grafana reads it. */
export interface PluginRoute {
  path: string;
  method?: string;
  url?: string;
  reqRole?: string;
  reqSignedIn?: boolean;
  reqAction?: string;
  headers?: Array<{ name: string; content: string }>;
  body?: unknown;
}

export interface PluginJson {
  id: string;
  /** 'app', 'panel' or 'datasource' for what the sandbox uses; other types load but do nothing. */
  type: string;
  name: string;
  info: { version?: string; logos?: { small?: string; large?: string }; description?: string; [key: string]: unknown };
  includes?: Array<Record<string, unknown>>;
  routes?: PluginRoute[];
  skipDataQuery?: boolean;
  dependencies?: { grafanaDependency?: string };
  [key: string]: unknown;
}

export interface InstalledPlugin {
  meta: PluginJson;
  /** Directory holding plugin.json and module.js. */
  dir: string;
  /** URL prefix the files are served under, e.g. public/plugins/<app>/panels/terminal. */
  baseUrl: string;
  /** The app this plugin ships inside, for nested plugins. */
  includedInAppId?: string;
}

function readPluginJson(file: string): PluginJson {
  const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as PluginJson;
  if (!meta.id || !meta.type) {
    throw new Error(`${file}: plugin.json needs an id and a type`);
  }
  return meta;
}

function childDirs(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'node_modules') {
      continue;
    }
    const child = path.join(dir, entry.name);
    if (fs.existsSync(path.join(child, 'plugin.json'))) {
      found.push(child);
    }
    found.push(...childDirs(child));
  }
  return found;
}

/**
 * Finds plugins the way Grafana does: a plugin directory (or its dist/ when it has one)
 * holds plugin.json; plugins in folders beneath an app are that app's children, served
 * from public/plugins/<app id>/<sub path>/.
 */
export function loadPlugins(roots: string[]): InstalledPlugin[] {
  const plugins: InstalledPlugin[] = [];
  for (const root of roots) {
    const dir = fs.existsSync(path.join(root, 'dist', 'plugin.json')) ? path.join(root, 'dist') : root;
    if (!fs.existsSync(path.join(dir, 'plugin.json'))) {
      throw new Error(`${root}: no plugin.json (build the plugins first: npm run build -w @nester/grafana-plugins)`);
    }
    const meta = readPluginJson(path.join(dir, 'plugin.json'));
    const baseUrl = `public/plugins/${meta.id}`;
    plugins.push({ meta, dir, baseUrl });
    if (meta.type === 'app') {
      for (const child of childDirs(dir)) {
        const sub = path.relative(dir, child).split(path.sep).join('/');
        plugins.push({
          meta: readPluginJson(path.join(child, 'plugin.json')),
          dir: child,
          baseUrl: `${baseUrl}/${sub}`,
          includedInAppId: meta.id,
        });
      }
    }
  }
  const ids = new Set<string>();
  for (const plugin of plugins) {
    if (ids.has(plugin.meta.id)) {
      throw new Error(`plugin id ${plugin.meta.id} is installed twice`);
    }
    ids.add(plugin.meta.id);
  }
  return plugins;
}
