import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

import { DatasourceInput } from './datasourceStore';
import { ProvisioningError, expandEnv, parseDatasourceProvisioning } from './provisioning';
import { SettingsUpdate } from './settingsStore';

/** A dashboard a file provider loaded: its JSON as written, and where it came from. */
export interface ProvisionedDashboard {
  uid: string;
  title: string;
  folder: string;
  file: string;
  dashboard: Record<string, unknown>;
}

export interface Provisioning {
  apps: Record<string, SettingsUpdate>;
  datasources: DatasourceInput[];
  dashboards: ProvisionedDashboard[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** Files of a provisioning folder Grafana reads: *.yaml, *.yml (and, for datasources, *.json). */
function configFiles(dir: string, withJson = false): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name) || (withJson && name.endsWith('.json')))
    .sort()
    .map((name) => path.join(dir, name));
}

function readDoc(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ProvisioningError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  if (!isObject(doc)) {
    throw new ProvisioningError(`${file}: expected a mapping with "apiVersion: 1"`);
  }
  return doc;
}

function entries(doc: Record<string, unknown>, key: string, file: string): Record<string, unknown>[] {
  const list = doc[key] ?? [];
  if (!Array.isArray(list) || !list.every(isObject)) {
    throw new ProvisioningError(`${file}: "${key}" must be a list of mappings`);
  }
  return list;
}

/** provisioning/plugins/*.yaml: `apps` settings, as Grafana's plugin provisioning applies them. */
function readApps(dir: string, env: NodeJS.ProcessEnv): Record<string, SettingsUpdate> {
  const apps: Record<string, SettingsUpdate> = {};
  for (const file of configFiles(dir)) {
    for (const [i, raw] of entries(readDoc(file), 'apps', file).entries()) {
      const app = expandEnv(raw, env) as Record<string, unknown>;
      const where = `${file}: apps[${i}]`;
      if (typeof app.type !== 'string' || !app.type) {
        throw new ProvisioningError(`${where}: "type" (the app's plugin id) is required`);
      }
      if (app.org_id !== undefined && Number(app.org_id) !== 1) {
        throw new ProvisioningError(`${where}: org_id ${JSON.stringify(app.org_id)}: the sandbox has one org, 1`);
      }
      for (const key of ['jsonData', 'secureJsonData']) {
        if (app[key] !== undefined && !isObject(app[key])) {
          throw new ProvisioningError(`${where}: "${key}" must be a mapping`);
        }
      }
      apps[app.type] = {
        enabled: app.disabled !== true,
        pinned: app.disabled !== true,
        jsonData: (app.jsonData as Record<string, unknown>) ?? {},
        secureJsonData: (app.secureJsonData as Record<string, unknown>) ?? {},
      };
    }
  }
  return apps;
}

function jsonFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? jsonFilesUnder(full) : entry.name.endsWith('.json') ? [full] : [];
    })
    .sort();
}

/** provisioning/dashboards/*.yaml: file providers, and the dashboards in their folders. */
function readDashboards(dir: string, env: NodeJS.ProcessEnv): ProvisionedDashboard[] {
  const dashboards: ProvisionedDashboard[] = [];
  for (const file of configFiles(dir)) {
    for (const [i, raw] of entries(readDoc(file), 'providers', file).entries()) {
      const provider = expandEnv(raw, env) as Record<string, unknown>;
      const where = `${file}: providers[${i}]`;
      if ((provider.type ?? 'file') !== 'file') {
        throw new ProvisioningError(`${where}: type ${String(provider.type)}: only "file" providers exist`);
      }
      const folderPath = isObject(provider.options) ? provider.options.path : undefined;
      if (typeof folderPath !== 'string' || !folderPath) {
        throw new ProvisioningError(`${where}: "options.path" (the dashboards' folder) is required`);
      }
      if (!fs.existsSync(folderPath) || !fs.statSync(folderPath).isDirectory()) {
        throw new ProvisioningError(`${where}: options.path ${folderPath} is not a folder (is its $VAR set?)`);
      }
      for (const json of jsonFilesUnder(folderPath)) {
        dashboards.push(readDashboardFile(json, typeof provider.folder === 'string' ? provider.folder : ''));
      }
    }
  }
  const seen = new Set<string>();
  for (const { uid, file } of dashboards) {
    if (seen.has(uid)) {
      throw new ProvisioningError(`${file}: dashboard uid ${uid} is provisioned twice`);
    }
    seen.add(uid);
  }
  return dashboards;
}

function readDashboardFile(file: string, folder: string): ProvisionedDashboard {
  let dashboard: unknown;
  try {
    dashboard = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ProvisioningError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(dashboard) || typeof dashboard.title !== 'string' || !Array.isArray(dashboard.panels ?? [])) {
    throw new ProvisioningError(`${file}: a dashboard needs a "title" and a "panels" list`);
  }
  // Grafana makes a uid for a dashboard without one; a fixed uid is what keeps its URL.
  const uid = typeof dashboard.uid === 'string' && dashboard.uid ? dashboard.uid : path.basename(file, '.json');
  return { uid, title: dashboard.title, folder, file, dashboard };
}

/**
 * A Grafana provisioning directory read as Grafana reads it at start: plugins/ (app settings),
 * datasources/ and dashboards/ (file providers and the JSON in their folders), with $VAR and
 * ${VAR} in YAML values taken from `env` (dashboard JSON is not interpolated, as in Grafana).
 * GF_PATHS_PROVISIONING is the directory itself, as in a Grafana configured through it.
 */
export function readProvisioningDir(dir: string, env: NodeJS.ProcessEnv = process.env): Provisioning {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new ProvisioningError(`--provisioning ${dir}: not a directory`);
  }
  const root = path.resolve(dir);
  const withPath = { ...env, GF_PATHS_PROVISIONING: root };
  return {
    apps: readApps(path.join(root, 'plugins'), withPath),
    datasources: configFiles(path.join(root, 'datasources'), true).flatMap((file) =>
      parseDatasourceProvisioning(fs.readFileSync(file, 'utf8'), file, withPath),
    ),
    dashboards: readDashboards(path.join(root, 'dashboards'), withPath),
  };
}
