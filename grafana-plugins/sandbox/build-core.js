#!/usr/bin/env node
/* global console, Buffer */
// Builds the core plugins the sandbox serves as Grafana serves its built-in ones (core/*):
// each an AMD module.js whose shared modules (shell/sharedModules.ts) come from the shell, the
// rest bundled, as Grafana bundles them into its own frontend.
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

// What the shell shares (shell/sharedModules.ts): imported, not bundled.
const SHARED = [
  '@emotion/css',
  '@grafana/data',
  '@grafana/runtime',
  '@grafana/ui',
  'lodash',
  'moment',
  'react',
  'react-dom',
  'react/jsx-runtime',
  'rxjs',
  'rxjs/operators',
];

async function buildCore(name) {
  const src = path.join(__dirname, 'core', name);
  const out = path.join(__dirname, 'dist', 'core', name);
  fs.mkdirSync(out, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [path.join(src, 'module.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    target: 'es2020',
    format: 'cjs',
    external: SHARED,
    alias: { 'monaco-editor': path.join(__dirname, 'core', 'prometheus', 'monaco-editor-stub.ts') },
    minify: process.env.SANDBOX_CORE_DEBUG !== '1',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl' },
    logLevel: 'error',
  });
  const body = result.outputFiles[0].text;
  // AMD around the CommonJS bundle: SystemJS's AMD extra gives the shared modules.
  const wrapped =
    `define(${JSON.stringify(SHARED)}, function () {\n` +
    `var __shared = {}; var __names = ${JSON.stringify(SHARED)};\n` +
    `for (var i = 0; i < __names.length; i++) __shared[__names[i]] = arguments[i];\n` +
    `var require = function (n) { if (n in __shared) return __shared[n]; throw new Error('not bundled: ' + n); };\n` +
    `var module = { exports: {} }, exports = module.exports;\n${body}\nreturn module.exports;\n});\n`;
  fs.writeFileSync(path.join(out, 'module.js'), wrapped);
  fs.copyFileSync(path.join(src, 'plugin.json'), path.join(out, 'plugin.json'));
  return Buffer.byteLength(wrapped);
}

const started = Date.now();
buildCore('prometheus')
  .then((bytes) =>
    console.log(
      `core plugins built in ${((Date.now() - started) / 1000).toFixed(1)} s (prometheus ${(bytes / 1e6).toFixed(1)} MB)`,
    ),
  )
  .catch((err) => {
    console.error(err.message || err);
    process.exitCode = 1;
  });
