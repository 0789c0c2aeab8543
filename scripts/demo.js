#!/usr/bin/env node
/* global console */
// `npm start`: compiles what changed with `tsc -b` (incremental: a project whose outputs are
// newer than its sources is skipped, about 2 s when nothing changed), then runs the demo
// (scripts/demo/src/main.ts), which builds the rest only when out of date and starts the stack.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const repo = path.resolve(__dirname, '..');
const started = Date.now();
console.log('• compiling what changed (tsc -b)');
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [repo] }), '-b'], {
  cwd: repo,
  stdio: 'inherit',
});
if (tsc.status !== 0) {
  console.error('demo: the TypeScript build failed (above); fix it and run npm start again');
  process.exit(1);
}
console.log(`✓ TypeScript compiled or already up to date (${((Date.now() - started) / 1000).toFixed(1)} s)`);
require('./demo/dist/src/main.js').run();
