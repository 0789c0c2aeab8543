#!/usr/bin/env node
/* global console */
// `npm run dashboards -w @nester/provisioning`: bundles src/generate.ts with esbuild (the
// dashboards are TypeScript typed with @grafana/schema) and writes dashboards/nester/*.json.
const esbuild = require('esbuild');
const path = require('node:path');
const Module = require('node:module');

const entry = path.join(__dirname, 'src', 'generate.ts');
const { outputFiles } = esbuild.buildSync({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['prettier'],
  write: false,
  logLevel: 'warning',
});
// Loaded as a module of src/, so it resolves prettier as the sources do.
const compiled = new Module(entry, module);
compiled.paths = Module._nodeModulePaths(path.dirname(entry));
compiled._compile(outputFiles[0].text, entry);
compiled.exports.generate(path.join(__dirname, 'dashboards', 'nester')).then(
  (written) => console.log(written.map((file) => `wrote ${path.relative(process.cwd(), file)}`).join('\n')),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
