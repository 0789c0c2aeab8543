// The Grafana plugin folders this toolchain builds, and the plugins in each: every folder under
// a package's src/ with a plugin.json and a sibling module.ts(x), as create-plugin finds them.
// A package's top-level plugin is what Grafana installs (src/ -> dist/); plugins in folders
// beneath it are nested in it (the app's panels).
//   nester-fleet-app             grafana-plugins/src/                -> grafana-plugins/dist/
//   nester-timescale-datasource  datasource-timescale/plugin/src/    -> datasource-timescale/plugin/dist/
// The datasource is a plugin of its own, not nested in the app: it is useful without nester,
// and Grafana disables an app's children until the app is enabled.
const fs = require('node:fs');
const path = require('node:path');

const WORKSPACE = path.join(__dirname, '..');
const REPO = path.join(WORKSPACE, '..');

function pluginPackage(root, packageJson) {
  return {
    root,
    src: path.join(root, 'src'),
    dist: path.join(root, 'dist'),
    /** %VERSION% comes from the npm package the plugin ships with. */
    version: JSON.parse(fs.readFileSync(packageJson, 'utf8')).version,
  };
}

const PACKAGES = [
  pluginPackage(WORKSPACE, path.join(WORKSPACE, 'package.json')),
  pluginPackage(
    path.join(REPO, 'datasource-timescale', 'plugin'),
    path.join(REPO, 'datasource-timescale', 'package.json'),
  ),
];
function findPluginDirs(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== 'node_modules') {
      found.push(...findPluginDirs(path.join(dir, entry.name)));
    }
  }
  if (fs.existsSync(path.join(dir, 'plugin.json'))) {
    found.push(dir);
  }
  return found;
}

/** The plugins of one package, its top-level plugin first. */
function findPlugins(pkg = PACKAGES[0]) {
  return findPluginDirs(pkg.src)
    .map((dir) => {
      const entry = ['module.tsx', 'module.ts'].map((name) => path.join(dir, name)).find((file) => fs.existsSync(file));
      if (!entry) {
        throw new Error(`${path.relative(REPO, dir)}/plugin.json has no module.ts(x) beside it`);
      }
      const meta = JSON.parse(fs.readFileSync(path.join(dir, 'plugin.json'), 'utf8'));
      const subdir = path.relative(pkg.src, dir).split(path.sep).join('/');
      return { id: meta.id, type: meta.type, dir, subdir, entry, pkg };
    })
    .sort((a, b) => a.subdir.length - b.subdir.length);
}

function findAllPlugins() {
  return PACKAGES.flatMap((pkg) => findPlugins(pkg));
}

module.exports = { PACKAGES, findPlugins, findAllPlugins };
