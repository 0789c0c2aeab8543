// %VERSION%, %TODAY% and %PLUGIN_ID% in plugin.json and README, as create-plugin fills them.
const pkg = require('../package.json');

function today() {
  return new Date().toISOString().slice(0, 10);
}

function fillPlaceholders(text, pluginId) {
  return text
    .replace(/%VERSION%/g, pkg.version)
    .replace(/%TODAY%/g, today())
    .replace(/%PLUGIN_ID%/g, pluginId);
}

module.exports = { fillPlaceholders };
