#!/usr/bin/env node
// Installed as `harvester`; the compiled agent lives in dist/ (npm run build).
require('../dist/src/cli.js');
