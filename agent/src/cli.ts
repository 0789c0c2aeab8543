#!/usr/bin/env node
// harvester: the Nester agent's command line.

import { runMain } from '@nester/common/cli/run';
import { checkConfig } from './commands/check-config';
import { enroll } from './commands/enroll';
import { serve } from './commands/serve';
import { VERSION } from './version';

runMain('harvester', main, { version: () => VERSION });

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'enroll') return enroll(argv.slice(1), process.env);
  if (argv[0] === 'check-config') return checkConfig(argv.slice(1), process.env);
  await serve(argv, process.env);
}
