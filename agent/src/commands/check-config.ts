// `harvester check-config [flags]`: parse the flags, environment and --config.file as `harvester`
// would and check every value, start nothing. Exit 0 when valid, 2 with the reason otherwise:
// what Ansible's `template … validate: 'harvester check-config --config.file=%s'` needs.

import { parseCommand } from '@nester/common/cli/command';
import { createLogger } from '@nester/common/log/logger';
import { serveFlags, serveSettings } from './serve';

export function checkConfig(argv: readonly string[], env: NodeJS.ProcessEnv, out = process.stdout): void {
  const command = {
    usage: 'harvester check-config [flags]',
    description: 'Check the configuration (flags, environment, --config.file) as `harvester` would read it, and exit.',
    flags: serveFlags(),
  };
  const parsed = parseCommand(command, argv, env);
  if (!parsed) return;
  const log = createLogger({ name: 'harvester', level: parsed.values['log.level'] });
  serveSettings(parsed.values, env, log.child({}, { level: 'silent' }));
  const file = parsed.values['config.file'];
  out.write(`harvester: configuration OK${file ? ` (${file})` : ''}\n`);
}
