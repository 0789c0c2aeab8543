#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=1 --max-old-space-size=128
// Installed as `harvester`; the compiled agent lives in dist/ (npm run build).
// The V8 flags keep a fleet agent small: a 1 MiB young generation instead of 16 MiB, and an
// old-generation ceiling (14x the agent's live heap) that makes V8 size its heap to need;
// MALLOC_ARENA_MAX=2 stops glibc from keeping a malloc arena per thread-pool thread (file reads
// run there). They act only when the file is executed (npx harvester, systemd); `node bin/harvester.js`
// ignores the first line.
require('../dist/src/cli.js');
