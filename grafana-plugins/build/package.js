#!/usr/bin/env node
/* global console */
// `npm run package`: zips each built plugin folder (the app with its panels inside, and the
// datasource) for `grafana cli --pluginUrl`. Each archive holds one top folder named after the
// plugin id, as Grafana's installer expects, with a .sha256 file beside it.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const yazl = require('yazl');

const { PACKAGES } = require('./plugins');

// `--out DIR` writes the archives elsewhere (the test does).
const outFlag = process.argv.indexOf('--out');
const RELEASE = outFlag > 0 ? path.resolve(process.argv[outFlag + 1]) : path.join(__dirname, '..', 'release');

function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

async function zipPlugin(dir, version) {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'plugin.json'), 'utf8'));
  if (!fs.existsSync(path.join(dir, 'module.js'))) {
    throw new Error(`${dir}: no module.js; run npm run build first`);
  }
  fs.mkdirSync(RELEASE, { recursive: true });
  const file = path.join(RELEASE, `${meta.id}-${version}.zip`);
  const zip = new yazl.ZipFile();
  // Source maps stay out of the release; Grafana does not need them to run the plugin.
  for (const source of filesUnder(dir)
    .filter((f) => !f.endsWith('.map'))
    .sort()) {
    zip.addFile(source, `${meta.id}/${path.relative(dir, source).split(path.sep).join('/')}`, { mode: 0o644 });
  }
  zip.end();
  await new Promise((resolve, reject) =>
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject),
  );
  const sha256 = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  fs.writeFileSync(`${file}.sha256`, `${sha256}  ${path.basename(file)}\n`);
  return { file, sha256 };
}

async function main() {
  for (const pkg of PACKAGES) {
    const meta = JSON.parse(fs.readFileSync(path.join(pkg.src, 'plugin.json'), 'utf8'));
    const { file, sha256 } = await zipPlugin(pkg.dist, pkg.version);
    console.log(`${path.relative(process.cwd(), file)} (sha256 ${sha256})`);
    console.log(`  install: grafana cli --pluginUrl ${file} plugins install ${meta.id}`);
  }
}

main().catch((err) => {
  console.error(err.message || err);
  process.exitCode = 1;
});
