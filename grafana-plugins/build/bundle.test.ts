import { AppPlugin, DataSourcePlugin, PanelPlugin } from '@grafana/data';
import fs from 'node:fs';
import path from 'node:path';

import { checkPluginExports } from '@nester/sandbox/shell/pluginExports';
import { runAmd } from '../test/support/runAmd';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const createConfigs = require('./webpack.config');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const externals = require('./externals');

const DIST: string = createConfigs.DIST;
const DATASOURCE_DIST: string = createConfigs.PACKAGES[1].dist;
const built = [
  { id: 'nester-fleet-app', type: 'app', dist: DIST, file: 'module.js' },
  { id: 'nester-remotedesktop-panel', type: 'panel', dist: DIST, file: 'panels/remotedesktop/module.js' },
  { id: 'nester-terminal-panel', type: 'panel', dist: DIST, file: 'panels/terminal/module.js' },
  { id: 'nester-timescale-datasource', type: 'datasource', dist: DATASOURCE_DIST, file: 'module.js' },
];
const pluginClass = { app: AppPlugin, panel: PanelPlugin, datasource: DataSourcePlugin };

const shared = (): Record<string, unknown> => ({
  /* eslint-disable @typescript-eslint/no-require-imports */
  react: require('react'),
  'react/jsx-runtime': require('react/jsx-runtime'),
  'react-dom': require('react-dom'),
  '@grafana/data': require('@grafana/data'),
  '@grafana/ui': require('@grafana/ui'),
  '@grafana/runtime': require('@grafana/runtime'),
  '@emotion/css': require('@emotion/css'),
  rxjs: require('rxjs'),
  /* eslint-enable @typescript-eslint/no-require-imports */
});

describe.each(built)('$id: dist/$file', ({ id, type, dist, file }) => {
  const modulePath = path.join(dist, file);

  test('is built (npm run build)', () => {
    expect(fs.existsSync(modulePath)).toBe(true);
  });

  test("is an AMD module that takes React, Grafana's packages and rxjs from Grafana", () => {
    const source = fs.readFileSync(modulePath, 'utf8');
    const { deps } = runAmd(source, shared(), `http://grafana.test/public/plugins/${file}`);
    const allowed = (name: string) =>
      name === 'module' ||
      externals.sharedModules.includes(name) ||
      externals.sharedPatterns.some((pattern: RegExp) => pattern.test(name));
    expect(deps.filter((name) => !allowed(name))).toEqual([]);
    expect(deps).toEqual(expect.arrayContaining(['react', 'react/jsx-runtime', '@grafana/data']));
    // React's own internals would mean a second React inside the plugin.
    expect(source).not.toContain('__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED');
  });

  test('yields its plugin synchronously, built on the host @grafana/data', () => {
    const source = fs.readFileSync(modulePath, 'utf8');
    const { result } = runAmd(source, shared(), `http://grafana.test/public/plugins/${file}`);
    const plugin = checkPluginExports(result, id, type);
    expect(plugin).toBeInstanceOf(pluginClass[type as keyof typeof pluginClass]);
  });
});

test('noVNC sits in a chunk of its own, next to the panel that loads it', () => {
  const chunks = fs.readdirSync(path.join(DIST, 'panels/remotedesktop')).filter((f) => /^novnc\..*\.js$/.test(f));
  expect(chunks).toHaveLength(1);
  expect(fs.readFileSync(path.join(DIST, 'panels/remotedesktop/module.js'), 'utf8')).not.toContain(
    'supportsWebCodecsH264Decode',
  );
});
