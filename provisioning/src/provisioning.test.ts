/** @jest-environment jsdom */
// The provisioning files as Grafana reads them: their shape (apiVersion 1, the keys Grafana
// knows, required fields), plugin ids equal to the plugins' plugin.json ids, one metrics
// datasource uid shared by the app's settings and every dashboard, dashboards that name
// datasources by uid only, panels Grafana or our plugins provide, secrets only as $VARs, and
// every $VAR documented in the README.
import type { Dashboard, Panel, RowPanel, VariableModel } from '@grafana/schema';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

import { isStandardTransformation } from '@nester/sandbox/shell/dashboards/transformations';

import {
  FLEET_APP_ID,
  METRICS_DATASOURCE_TYPE,
  METRICS_DATASOURCE_UID,
  REMOTE_DESKTOP_PANEL_ID,
  TERMINAL_PANEL_ID,
} from './dashboards/ids';

const ROOT = path.resolve(__dirname, '..');
const REPO = path.resolve(ROOT, '..');

type Json = Record<string, unknown>;

const readYaml = (relative: string): Json => parse(fs.readFileSync(path.join(ROOT, relative), 'utf8')) as Json;
const readJson = (file: string): Json => JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

/** Each YAML file of a provisioning folder (Grafana reads *.yaml and *.yml). */
function yamlFiles(folder: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, folder))
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => path.join(folder, file));
}

const pluginJson = (relative: string) => readJson(path.join(REPO, relative));
const app = pluginJson('grafana-plugins/src/plugin.json');
const datasourcePlugin = pluginJson('datasource-timescale/plugin/src/plugin.json');
const ourPanels = fs
  .readdirSync(path.join(REPO, 'grafana-plugins/src/panels'))
  .map((dir) => path.join(REPO, 'grafana-plugins/src/panels', dir, 'plugin.json'))
  .filter((file) => fs.existsSync(file))
  .map((file) => readJson(file));

/**
 * Grafana's core panels: those @grafana/schema has a panel schema for (raw/composable/<folder>/
 * panelcfg), under their panel ids, which differ from the folder name for five of them.
 */
const PANEL_ID_OF_FOLDER: Record<string, string> = {
  annotationslist: 'annolist',
  dashboardlist: 'dashlist',
  nodegraph: 'nodeGraph',
  statetimeline: 'state-timeline',
  statushistory: 'status-history',
};
function corePanelTypes(): Set<string> {
  const composable = path.join(
    path.dirname(require.resolve('@grafana/schema/package.json')),
    'dist/esm/raw/composable',
  );
  const withSchema = fs
    .readdirSync(composable)
    .filter((folder) => fs.existsSync(path.join(composable, folder, 'panelcfg')))
    .map((folder) => PANEL_ID_OF_FOLDER[folder] ?? folder);
  return new Set(['row', ...withSchema]);
}

const appFile = readYaml('plugins/nester-fleet-app.yaml');
const datasourceFile = readYaml('datasources/nester-timescale.yaml');
/** The same adapter through Grafana's built-in Prometheus datasource (its Prometheus HTTP API). */
const prometheusFile = readYaml('datasources/nester-prometheus.yaml');
const allDatasources = [...list(datasourceFile.datasources), ...list(prometheusFile.datasources)];
const providerFile = readYaml('dashboards/nester.yaml');
const dashboardDir = path.join(ROOT, 'dashboards', 'nester');
const dashboards = fs
  .readdirSync(dashboardDir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, json: JSON.parse(fs.readFileSync(path.join(dashboardDir, file), 'utf8')) as Dashboard }));

function allPanels(dashboard: Dashboard): Panel[] {
  return (dashboard.panels ?? []).flatMap((panel: Panel | RowPanel) =>
    panel.type === 'row' ? [panel as Panel, ...((panel as RowPanel).panels ?? [])] : [panel as Panel],
  );
}

/** Every value under a "datasource" key, anywhere in the dashboard, with where it is. */
function datasourceRefs(value: unknown, where = '$'): Array<{ where: string; ref: unknown }> {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => datasourceRefs(item, `${where}[${i}]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      key === 'datasource' ? [{ where: `${where}.${key}`, ref: item }] : datasourceRefs(item, `${where}.${key}`),
    );
  }
  return [];
}

/** Every string in a value (keys left out). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (Array.isArray(value)) {
    return value.flatMap(strings);
  }
  return value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];
}

function expectOnlyKeys(object: Json, allowed: string[], where: string) {
  expect({ where, unknown: Object.keys(object).filter((key) => !allowed.includes(key)) }).toEqual({
    where,
    unknown: [],
  });
}

describe('shape, as Grafana reads each kind of file', () => {
  test('every file has apiVersion 1 and its list', () => {
    for (const [folder, listKey] of [
      ['plugins', 'apps'],
      ['datasources', 'datasources'],
      ['dashboards', 'providers'],
    ]) {
      for (const file of yamlFiles(folder)) {
        const doc = readYaml(file);
        expect({ file, apiVersion: doc.apiVersion }).toEqual({ file, apiVersion: 1 });
        expect({ file, entries: list(doc[listKey]).length > 0 }).toEqual({ file, entries: true });
      }
    }
  });

  test('apps: type, an org, enabled, settings as mappings', () => {
    for (const entry of list(appFile.apps)) {
      expectOnlyKeys(entry, ['type', 'org_id', 'org_name', 'disabled', 'jsonData', 'secureJsonData'], 'apps[]');
      expect(typeof entry.type).toBe('string');
      expect(entry.org_id ?? entry.org_name).toBeDefined();
      expect(entry.disabled).toBe(false);
      expect(typeof entry.jsonData).toBe('object');
      expect(typeof entry.secureJsonData).toBe('object');
    }
  });

  test('datasources: name, type, a fixed uid, proxy access, a URL', () => {
    expect(yamlFiles('datasources').sort()).toEqual(
      ['datasources/nester-prometheus.yaml', 'datasources/nester-timescale.yaml'].sort(),
    );
    expect(new Set(allDatasources.map((entry) => entry.uid)).size).toBe(allDatasources.length);
    for (const entry of allDatasources) {
      expectOnlyKeys(
        entry,
        [
          'name',
          'type',
          'uid',
          'orgId',
          'access',
          'url',
          'isDefault',
          'editable',
          'jsonData',
          'secureJsonData',
          'version',
        ],
        'datasources[]',
      );
      expect(entry).toMatchObject({ name: expect.any(String), type: expect.any(String), access: 'proxy' });
      expect(entry.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
      expect(entry.url).toMatch(/^\$\{?ADAPTER_URL\}?$/);
    }
  });

  test('dashboard providers: a file provider whose path is the folder of the dashboards', () => {
    for (const entry of list(providerFile.providers)) {
      expectOnlyKeys(
        entry,
        [
          'name',
          'orgId',
          'folder',
          'folderUid',
          'type',
          'disableDeletion',
          'updateIntervalSeconds',
          'allowUiUpdates',
          'options',
        ],
        'providers[]',
      );
      expect(entry).toMatchObject({ name: expect.any(String), type: 'file', allowUiUpdates: false });
      const options = entry.options as Json;
      expect(String(options.path).replace('$GF_PATHS_PROVISIONING', ROOT)).toBe(dashboardDir);
    }
  });
});

describe('ids and uids', () => {
  test("the app's and the datasource's types are the plugins' plugin.json ids", () => {
    expect(list(appFile.apps).map((entry) => entry.type)).toEqual([app.id]);
    expect(app.type).toBe('app');
    expect(list(datasourceFile.datasources).map((entry) => entry.type)).toEqual([datasourcePlugin.id]);
    expect(datasourcePlugin.type).toBe('datasource');
    expect(list(prometheusFile.datasources).map((entry) => entry.type)).toEqual(['prometheus']);
  });

  test("the dashboards' sources use the plugin.json ids", () => {
    expect(FLEET_APP_ID).toBe(app.id);
    expect(METRICS_DATASOURCE_TYPE).toBe(datasourcePlugin.id);
    expect(ourPanels.map((panel) => panel.id).sort()).toEqual([REMOTE_DESKTOP_PANEL_ID, TERMINAL_PANEL_ID].sort());
  });

  test("the app's metrics datasource is the provisioned datasource's uid, which the sources name", () => {
    const [datasource] = list(datasourceFile.datasources);
    const [entry] = list(appFile.apps);
    expect((entry.jsonData as Json).metricsDatasourceUid).toBe(datasource.uid);
    expect(METRICS_DATASOURCE_UID).toBe(datasource.uid);
  });

  test('each dashboard has its own fixed uid, and links to dashboards name existing uids', () => {
    const uids = dashboards.map(({ json }) => json.uid);
    expect(new Set(uids).size).toBe(dashboards.length);
    for (const uid of uids) {
      expect(uid).toMatch(/^[a-zA-Z0-9_-]{8,40}$/);
    }
    const linked = dashboards.flatMap(({ json }) =>
      strings(json).flatMap((text) => [...text.matchAll(/\/d\/([^/?"]+)/g)].map((match) => match[1])),
    );
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.filter((uid) => !uids.includes(uid))).toEqual([]);
  });
});

describe.each(dashboards)('$file', ({ json }) => {
  test('names datasources only by uid: the provisioned metrics datasource', () => {
    const refs = datasourceRefs(json);
    expect(refs.length).toBeGreaterThan(0);
    for (const { where, ref } of refs) {
      expect({ where, ref }).toEqual({ where, ref: { type: datasourcePlugin.id, uid: METRICS_DATASOURCE_UID } });
    }
    expect(json).not.toHaveProperty('__inputs');
    expect(strings(json).filter((text) => /\$\{DS_/.test(text))).toEqual([]);
  });

  test("every panel is one of Grafana's core panels or one of ours", () => {
    const known = corePanelTypes();
    const ours = new Set(ourPanels.map((panel) => panel.id as string));
    const unknown = allPanels(json)
      .map((panel) => panel.type)
      .filter((type) => !known.has(type) && !ours.has(type));
    expect(unknown).toEqual([]);
  });

  test('panels with queries have some, panels of ours have none; ids are unique', () => {
    const panels = allPanels(json);
    for (const panel of panels) {
      const skipsQueries = ourPanels.some((plugin) => plugin.id === panel.type && plugin.skipDataQuery);
      if (panel.type === 'row' || skipsQueries) {
        expect({ panel: panel.title, targets: panel.targets }).toEqual({ panel: panel.title, targets: undefined });
      } else {
        expect({ panel: panel.title, targets: (panel.targets ?? []).length > 0 }).toEqual({
          panel: panel.title,
          targets: true,
        });
      }
    }
    const ids = panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('transformations are those @grafana/data runs (Grafana and the sandbox alike)', () => {
    const ids = allPanels(json).flatMap((panel) => (panel.transformations ?? []).map((t) => t.id));
    expect(ids.filter((id) => !isStandardTransformation(id))).toEqual([]);
  });

  test('the variables queries and panels use are defined (or Grafana built-ins)', () => {
    const defined = new Set((json.templating?.list ?? []).map((variable: VariableModel) => variable.name));
    const used = strings({ panels: json.panels, templating: json.templating, links: json.links }).flatMap((text) =>
      [...text.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((match) => match[1]),
    );
    const undefinedVars = used.filter((name) => !name.startsWith('__') && !defined.has(name));
    expect(undefinedVars).toEqual([]);
  });

  test('panels fit the 24-column grid', () => {
    for (const panel of allPanels(json)) {
      const { x, w } = panel.gridPos ?? { x: -1, w: 0 };
      expect({ panel: panel.title, fits: x >= 0 && w > 0 && x + w <= 24 }).toEqual({ panel: panel.title, fits: true });
    }
  });
});

describe('secrets and environment', () => {
  const files = [...yamlFiles('plugins'), ...yamlFiles('datasources'), ...yamlFiles('dashboards')];

  test('every secureJsonData value is a $VAR from the environment, never a literal', () => {
    const secure = [...list(appFile.apps), ...allDatasources].flatMap((entry) =>
      Object.entries((entry.secureJsonData as Json) ?? {}),
    );
    expect(secure.length).toBeGreaterThan(0);
    for (const [key, value] of secure) {
      // Prometheus' custom HTTP headers hold the whole header value: "Bearer " before the $VAR.
      const secret = /^httpHeaderValue\d+$/.test(key) ? /^(Bearer )?\$(\w+|\{\w+\})$/ : /^\$(\w+|\{\w+\})$/;
      expect({ key, value }).toEqual({ key, value: expect.stringMatching(secret) });
    }
  });

  test("the Prometheus datasource sends the read token as a bearer header, the adapter's way", () => {
    const [entry] = list(prometheusFile.datasources);
    const jsonData = entry.jsonData as Json;
    expect(jsonData.httpHeaderName1).toBe('Authorization');
    expect((entry.secureJsonData as Json).httpHeaderValue1).toBe('Bearer ${ADAPTER_READ_TOKEN}');
    expect(entry.url).toBe(list(datasourceFile.datasources)[0].url);
  });

  test('every $VAR the files use is documented in the README', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const vars = new Set(
      files.flatMap((file) =>
        strings(readYaml(file)).flatMap((text) => [...text.matchAll(/\$\{?(\w+)\}?/g)].map((match) => match[1])),
      ),
    );
    expect(vars.size).toBeGreaterThan(0);
    for (const name of vars) {
      expect({ name, documented: readme.includes(`\`${name}\``) }).toEqual({ name, documented: true });
    }
  });
});
