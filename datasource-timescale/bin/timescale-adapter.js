#!/usr/bin/env node
// Installed as `timescale-adapter`; the compiled adapter lives in dist/ (npm run build).
require('../dist/src/cli.js');
