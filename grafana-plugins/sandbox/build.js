#!/usr/bin/env node
/* global console */
// Builds the sandbox: its Node server (dist/server.js) and its browser shell
// (dist/public/shell.js, with the real React, @grafana/* and SystemJS inside).
const path = require('node:path');
const esbuild = require('esbuild');

const here = __dirname;

async function main() {
  const started = Date.now();
  await Promise.all([
    esbuild.build({
      entryPoints: [path.join(here, 'server', 'main.ts')],
      outfile: path.join(here, 'dist', 'server.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      sourcemap: true,
      logLevel: 'error',
    }),
    esbuild.build({
      entryPoints: [path.join(here, 'shell', 'main.tsx')],
      outdir: path.join(here, 'dist', 'public'),
      entryNames: 'shell',
      chunkNames: 'chunks/[name]-[hash]',
      assetNames: 'assets/[name]-[hash]',
      bundle: true,
      splitting: true,
      platform: 'browser',
      target: 'es2020',
      format: 'esm',
      jsx: 'automatic',
      minify: true,
      sourcemap: true,
      // @grafana/ui 12.0.2's ESM build lists exports its modules do not have; its CommonJS build
      // is complete (and is what jest uses), so the shell takes that one.
      alias: Object.fromEntries(
        ['@grafana/ui', '@grafana/data', '@grafana/runtime'].map((name) => [name, require.resolve(name)]),
      ),
      define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
      loader: { '.svg': 'file', '.png': 'file', '.woff': 'file', '.woff2': 'file', '.ttf': 'file' },
      logLevel: 'error',
    }),
  ]);
  console.log(`sandbox built in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${path.join(here, 'dist')}`);
}

main()
  .then(() => require('./build-core'))
  .catch((err) => {
    console.error(err.message || err);
    process.exitCode = 1;
  });
