#!/usr/bin/env node
// nester: the fleet inventory and relay server's command line.

import { runMain } from '@nester/common/cli/run';
import { UsageError } from '@nester/common/config/flags';
import { buildVersion } from '@nester/common/build/version';
import { join } from 'node:path';
import { checkConfig, serve } from './commands/serve';
import { tokenCommand } from './commands/tokens';

const HELP = `usage: nester <command> [flags]

Nester server: enrolment and inventory of harvester agents, one-time session tickets, and the
VNC / terminal relay between Grafana users and agents, with audit and terminal recordings.

Commands:
  serve                       Run the server (default :8080).
  check-config                Check serve's configuration (flags, environment, --config.file) and exit.
  token create|list|revoke    Enrolment tokens for new agents.
  api-token create|list|revoke  The API token Grafana's proxy routes send.
  version                     Print the version.

\`nester <command> --help\` shows each command's flags.
`;

runMain('nester', main, {
  version: () => buildVersion(join(__dirname, '..', '..', 'package.json')),
});

async function main([command, ...rest]: string[]): Promise<void> {
  switch (command) {
    case 'serve':
      return serve(rest, process.env);
    case 'check-config':
      return checkConfig(rest, process.env);
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
      throw new UsageError(`unknown command "${command}"; commands are serve, check-config, token, api-token, version`);
  }
}
