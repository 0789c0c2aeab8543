#!/usr/bin/env node
// Installed as `nester`; the compiled server lives in dist/ (npm run build).
require('../dist/src/cli.js');
