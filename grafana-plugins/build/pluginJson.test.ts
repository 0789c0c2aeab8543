/** @jest-environment node */
import fs from 'node:fs';
import path from 'node:path';

import { pluginJsonErrors } from './pluginJsonRules';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findAllPlugins } = require('./plugins');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fillPlaceholders } = require('./placeholders');

interface Found {
  id: string;
  type: string;
  dir: string;
  subdir: string;
}

const plugins: Found[] = findAllPlugins();
const read = (plugin: Found) => JSON.parse(fs.readFileSync(path.join(plugin.dir, 'plugin.json'), 'utf8'));

test('the plugins are the app with its two panels and the datasource, with ids Grafana accepts', () => {
  expect(plugins.map((p) => p.id).sort()).toEqual([
    'nester-fleet-app',
    'nester-remotedesktop-panel',
    'nester-terminal-panel',
    'nester-timescale-datasource',
  ]);
  // Each is installed on its own: the app (panels nested in it) and the datasource.
  expect(
    plugins
      .filter((p) => p.subdir === '')
      .map((p) => p.type)
      .sort(),
  ).toEqual(['app', 'datasource']);
});

describe.each(plugins.map((p) => [p.id, p] as const))('%s/plugin.json', (_id, plugin) => {
  const json = read(plugin);

  test('obeys the plugin.json schema as written and as built', () => {
    expect(pluginJsonErrors(json)).toEqual([]);
    expect(pluginJsonErrors(JSON.parse(fillPlaceholders(JSON.stringify(json), plugin.id)))).toEqual([]);
  });

  test('points at logos that exist', () => {
    for (const logo of [json.info.logos.small, json.info.logos.large]) {
      expect(logo).toMatch(/\.svg$/);
      expect(fs.existsSync(path.join(plugin.dir, logo))).toBe(true);
    }
  });

  test('declares the same Grafana floor as the other plugins', () => {
    const app = read(plugins.find((p) => p.type === 'app')!);
    expect(json.dependencies.grafanaDependency).toBe(app.dependencies.grafanaDependency);
  });
});

test('the panels need no query', () => {
  for (const plugin of plugins.filter((p) => p.type === 'panel')) {
    expect(read(plugin).skipDataQuery).toBe(true);
  }
});

test('the app lists its panels and pages, and every page lives under the app', () => {
  const app = read(plugins.find((p) => p.type === 'app')!);
  const panelNames = plugins.filter((p) => p.type === 'panel').map((p) => read(p).name);
  const includedPanels = app.includes
    .filter((i: { type: string }) => i.type === 'panel')
    .map((i: { name: string }) => i.name);
  expect(includedPanels.sort()).toEqual(panelNames.sort());
  for (const page of app.includes.filter((i: { type: string }) => i.type === 'page')) {
    expect(page.path).toMatch(/^(\/a\/%PLUGIN_ID%\/[a-z]+|\/plugins\/%PLUGIN_ID%)$/);
  }
  expect(app.includes.filter((i: { defaultNav?: boolean }) => i.defaultNav)).toHaveLength(1);
});

test('every proxy route sends the API token server-side to the configured nester, with one method and a role', () => {
  const app = read(plugins.find((p) => p.type === 'app')!);
  expect(app.routes.length).toBeGreaterThan(0);
  for (const route of app.routes) {
    expect(route.url).toMatch(/^\{\{ \.JsonData\.nesterUrl \}\}\/api\/v1\//);
    expect(route.headers).toEqual([{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }]);
    // Grafana's app proxy compares the method with ==, so a comma list would never match.
    expect(route.method).toMatch(/^(GET|POST|PUT|PATCH|DELETE)$/);
    expect(['Viewer', 'Editor', 'Admin']).toContain(route.reqRole);
  }
});

test('the datasource is frontend-only and sends the read token server-side to the datasource URL', () => {
  const datasource = read(plugins.find((p) => p.type === 'datasource')!);
  expect(datasource).toMatchObject({ id: 'nester-timescale-datasource', metrics: true, category: 'tsdb' });
  expect(datasource.backend).toBeUndefined();
  expect(datasource.executable).toBeUndefined();
  // No url of its own: Grafana's datasource proxy keeps the datasource URL and the path, and
  // adds the header (ApplyRoute skips the URL rewrite for routes without one).
  expect(datasource.routes).toEqual([
    { path: 'api/v1/', headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.readToken }}' }] },
  ]);
});

// Test fixtures are free-form JSON that each case bends out of shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJson = any;

describe('the rules reject what Grafana rejects', () => {
  const good = read(plugins.find((p) => p.type === 'panel')!);
  const variant = (change: (json: AnyJson) => void) => {
    const json = structuredClone(good);
    change(json);
    return pluginJsonErrors(json);
  };

  test.each([
    ['an id with an extra hyphen', (j: AnyJson) => (j.id = 'nester-remote-desktop-panel'), /id:/],
    ['an id in capitals', (j: AnyJson) => (j.id = 'Nester-terminal-panel'), /id:/],
    ['an id whose suffix is not its type', (j: AnyJson) => (j.id = 'nester-terminal-app'), /must end with its type/],
    ['a missing info.keywords', (j: AnyJson) => delete j.info.keywords, /info: "keywords" is required/],
    ['empty keywords', (j: AnyJson) => (j.info.keywords = []), /at least one keyword/],
    ['a missing small logo', (j: AnyJson) => delete j.info.logos.small, /logos.small/],
    ['a bad updated date', (j: AnyJson) => (j.info.updated = 'yesterday'), /info.updated/],
    [
      'a compound grafanaDependency',
      (j: AnyJson) => (j.dependencies.grafanaDependency = '>=11.6.11 <12 || >=12.2.5'),
      /grafanaDependency/,
    ],
    ['no grafanaDependency', (j: AnyJson) => delete j.dependencies.grafanaDependency, /grafanaDependency: is required/],
    ['an unknown top-level field', (j: AnyJson) => (j.routesx = []), /"routesx" is not allowed/],
    ['a datasource field on a panel', (j: AnyJson) => (j.metrics = true), /only data source plugins/],
    ['routes on a panel', (j: AnyJson) => (j.routes = []), /only app and data source/],
    ['a missing name', (j: AnyJson) => delete j.name, /"name" is required/],
  ])('%s', (_what, change, message) => {
    expect(variant(change).join('\n')).toMatch(message);
  });

  test('a route with an unknown field or malformed headers', () => {
    const app = structuredClone(read(plugins.find((p) => p.type === 'app')!));
    app.routes[0].reqrole = 'Admin';
    app.routes[1].headers = [{ name: 'Authorization' }];
    const errors = pluginJsonErrors(app).join('\n');
    expect(errors).toMatch(/routes\[0\]: property "reqrole" is not allowed/);
    expect(errors).toMatch(/routes\[1\]\.headers/);
  });

  test('an include with an unknown type or role', () => {
    const app = structuredClone(read(plugins.find((p) => p.type === 'app')!));
    app.includes[0].type = 'view';
    app.includes[1].role = 'Owner';
    const errors = pluginJsonErrors(app).join('\n');
    expect(errors).toMatch(/includes\[0\]\.type/);
    expect(errors).toMatch(/includes\[1\]\.role/);
  });
});
