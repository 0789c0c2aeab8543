// %VERSION%, %TODAY% and %PLUGIN_ID% in plugin.json and README, as create-plugin fills them.
const pkg = require('../package.json');

function today() {
  return new Date().toISOString().slice(0, 10);
}

/** `version` defaults to this workspace's; a plugin shipped with another package passes its own. */
function fillPlaceholders(text, pluginId, version = pkg.version) {
  return text
    .replace(/%VERSION%/g, version)
    .replace(/%TODAY%/g, today())
    .replace(/%PLUGIN_ID%/g, pluginId);
}

module.exports = { fillPlaceholders };
