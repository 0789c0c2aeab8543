import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Sandbox, SandboxOptions, startSandbox } from '@nester/sandbox/server/server';

const WORKSPACE = path.resolve(__dirname, '..', '..');
export const PLUGINS_DIST = path.join(WORKSPACE, 'dist');
export const DATASOURCE_DIST = path.join(WORKSPACE, '..', 'datasource-timescale', 'plugin', 'dist');
const SHELL = path.join(path.dirname(require.resolve('@nester/sandbox/package.json')), 'dist', 'public');

/** The sandbox on a free loopback port, serving the built plugins (npm run build). */
export async function startTestSandbox(options: Partial<SandboxOptions> = {}): Promise<Sandbox & { dataDir: string }> {
  for (const [what, file, workspace] of [
    ['plugins are', path.join(PLUGINS_DIST, 'module.js'), '@nester/grafana-plugins'],
    ['plugins are', path.join(DATASOURCE_DIST, 'module.js'), '@nester/grafana-plugins'],
    ['sandbox shell is', path.join(SHELL, 'shell.js'), '@nester/sandbox'],
  ]) {
    if (!fs.existsSync(file)) {
      throw new Error(`the ${what} not built (${file}); run: npm run build -w ${workspace}`);
    }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-data-'));
  const sandbox = await startSandbox({
    pluginRoots: [PLUGINS_DIST, DATASOURCE_DIST],
    shellDir: SHELL,
    dataDir,
    ...options,
  });
  return {
    ...sandbox,
    dataDir,
    async close() {
      await sandbox.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
