import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grafanaData from '@grafana/data';
import { clearImmediate, setImmediate } from 'node:timers';
import webpack from 'webpack';

import { checkPluginExports } from '@nester/sandbox/shell/pluginExports';
import { runAmd } from '../test/support/runAmd';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const createConfigs = require('./webpack.config');

// @grafana/data needs jsdom's window; webpack needs Node's setImmediate, which jsdom hides.
Object.assign(globalThis, { setImmediate, clearImmediate });

test('a static import of noVNC makes the AMD factory return a Promise, and the sandbox refuses that module', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'async-entry-'));
  try {
    const fixture = path.join(__dirname, '..', 'test', 'fixtures', 'async-entry');
    const config = createConfigs.configFor(
      {
        id: 'nester-asyncfixture-panel',
        type: 'panel',
        dir: fixture,
        subdir: '',
        entry: path.join(fixture, 'module.ts'),
      },
      { id: 'nester-asyncfixture-panel' },
      false,
      out,
    );
    config.plugins = config.plugins.filter((plugin: object) => plugin.constructor.name !== 'CopyPlugin');
    const stats = await new Promise<webpack.Stats>((resolve, reject) =>
      webpack(config, (err, result) =>
        err || !result ? reject(err ?? new Error('webpack gave no stats')) : resolve(result),
      ),
    );
    expect(stats.hasErrors()).toBe(false);
    const source = fs.readFileSync(path.join(out, 'module.js'), 'utf8');
    const { result } = runAmd(source, { '@grafana/data': grafanaData }, 'http://grafana.test/m.js');
    expect(typeof (result as Promise<unknown>).then).toBe('function');
    expect(() => checkPluginExports(result, 'nester-asyncfixture-panel', 'panel')).toThrow(
      /AMD factory returned a Promise.*dynamic import\(\)/s,
    );
    await (result as Promise<unknown>).catch(() => undefined);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}, 60_000);
