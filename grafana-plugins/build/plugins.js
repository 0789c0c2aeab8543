// Finds the plugins under src/: every folder with a plugin.json and a sibling module.ts(x),
// as create-plugin does. The top-level one is the app; the others are nested in it.
const fs = require('node:fs');
const path = require('node:path');

const SRC = path.join(__dirname, '..', 'src');

function findPluginDirs(dir = SRC) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      found.push(...findPluginDirs(path.join(dir, entry.name)));
    }
  }
  if (fs.existsSync(path.join(dir, 'plugin.json'))) {
    found.push(dir);
  }
  return found;
}

function findPlugins() {
  return findPluginDirs()
    .map((dir) => {
      const entry = ['module.tsx', 'module.ts'].map((name) => path.join(dir, name)).find((file) => fs.existsSync(file));
      if (!entry) {
        throw new Error(`${path.relative(SRC, dir)}/plugin.json has no module.ts(x) beside it`);
      }
      const meta = JSON.parse(fs.readFileSync(path.join(dir, 'plugin.json'), 'utf8'));
      return { id: meta.id, type: meta.type, dir, subdir: path.relative(SRC, dir).split(path.sep).join('/'), entry };
    })
    .sort((a, b) => a.subdir.length - b.subdir.length);
}

module.exports = { SRC, findPlugins };
