#!/usr/bin/env node
/* global console */
// `npm run build`: production build of every plugin into its package's dist/ (build/plugins.js;
// type-check runs before, in the package script). `--dev` builds unminified; `--watch` rebuilds.
const fs = require('node:fs');
const webpack = require('webpack');

const createConfigs = require('./webpack.config');

const args = new Set(process.argv.slice(2));
const configs = createConfigs({ production: !args.has('--dev') });

for (const pkg of createConfigs.PACKAGES) {
  fs.rmSync(pkg.dist, { recursive: true, force: true });
}

const compiler = webpack(configs);
const report = (err, stats) => {
  if (err) {
    console.error(err.stack || err);
    process.exitCode = 1;
    return;
  }
  const info = stats.toString({ colors: process.stdout.isTTY, preset: 'errors-warnings' });
  if (info.trim()) {
    console.log(info);
  }
  for (const child of stats.stats) {
    const assets = Object.keys(child.compilation.assets).filter((name) => name.endsWith('.js'));
    console.log(`${child.compilation.name}: ${assets.join(', ')} -> ${child.compilation.outputOptions.path}`);
  }
  if (stats.hasErrors()) {
    process.exitCode = 1;
  }
};

if (args.has('--watch')) {
  compiler.watch({}, report);
} else {
  compiler.run((err, stats) => {
    report(err, stats);
    compiler.close(() => undefined);
  });
}
