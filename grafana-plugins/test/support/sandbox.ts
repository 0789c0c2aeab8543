import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Sandbox, SandboxOptions, startSandbox } from '../../sandbox/server/server';

const WORKSPACE = path.resolve(__dirname, '..', '..');
export const PLUGINS_DIST = path.join(WORKSPACE, 'dist');
export const DATASOURCE_DIST = path.join(WORKSPACE, '..', 'datasource-timescale', 'plugin', 'dist');
const SHELL = path.join(WORKSPACE, 'sandbox', 'dist', 'public');

/** The sandbox on a free loopback port, serving the built plugins (npm run build). */
export async function startTestSandbox(options: Partial<SandboxOptions> = {}): Promise<Sandbox & { dataDir: string }> {
  for (const [what, file] of [
    ['plugins', path.join(PLUGINS_DIST, 'module.js')],
    ['plugins', path.join(DATASOURCE_DIST, 'module.js')],
    ['sandbox shell', path.join(SHELL, 'shell.js')],
  ]) {
    if (!fs.existsSync(file)) {
      throw new Error(`the ${what} are not built (${file}); run: npm run build -w @nester/grafana-plugins`);
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
