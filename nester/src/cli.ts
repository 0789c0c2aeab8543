#!/usr/bin/env node
// nester: the fleet inventory and relay server's command line.

import { runMain } from '@nester/common/cli/run';
import { UsageError } from '@nester/common/config/flags';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from './commands/serve';
import { tokenCommand } from './commands/tokens';

const HELP = `usage: nester <command> [flags]

Nester server: enrolment and inventory of harvester agents, one-time session tickets, and the
VNC / terminal relay between Grafana users and agents, with audit and terminal recordings.

Commands:
  serve                       Run the server (default :8080).
  token create|list|revoke    Enrolment tokens for new agents.
  api-token create|list|revoke  The API token Grafana's proxy routes send.
  version                     Print the version.

\`nester <command> --help\` shows each command's flags.
`;

runMain('nester', main, {
  version: (): string =>
    (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version,
});

async function main([command, ...rest]: string[]): Promise<void> {
  switch (command) {
    case 'serve':
      return serve(rest, process.env);
    case 'token':
    case 'api-token':
      return tokenCommand(command, rest, process.env);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return;
    default:
      throw new UsageError(`unknown command "${command}"; commands are serve, token, api-token, version`);
  }
}
