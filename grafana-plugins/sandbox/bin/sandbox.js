#!/usr/bin/env node
/* global console */
// `npm run sandbox`: builds what is missing (plugins, sandbox), then starts the sandbox server.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const sandbox = path.resolve(__dirname, '..');
const plugins = path.resolve(sandbox, '..');
const steps = [
  {
    done: [
      path.join(plugins, 'dist', 'module.js'),
      path.join(plugins, '..', 'datasource-timescale', 'plugin', 'dist', 'module.js'),
    ],
    script: path.join(plugins, 'build', 'build.js'),
    what: 'plugins',
  },
  {
    done: [path.join(sandbox, 'dist', 'server.js')],
    script: path.join(sandbox, 'build.js'),
    what: 'sandbox',
  },
];
for (const step of steps) {
  if (!step.done.every((file) => fs.existsSync(file))) {
    console.error(`building the ${step.what} first (${path.relative(plugins, step.script)})…`);
    const result = spawnSync(process.execPath, [step.script], { stdio: 'inherit' });
    if (result.status !== 0) {
      process.exit(result.status ?? 1);
    }
  }
}
const server = require('../dist/server.js');
server.main(process.argv.slice(2)).catch((err) => {
  console.error(`sandbox: ${err.message || err}`);
  process.exit(server.exitCodeFor(err));
});
