#!/usr/bin/env node
import { runMain } from '@nester/common/cli/run';

runMain(require('../package.json').name, async () => {
  throw new Error('not built yet');
});
