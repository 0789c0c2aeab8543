// Shared front matter of every nester command: flags from argv, environment and config file,
// --help, and a logger.

import { findConfigFileArg, loadConfigFile } from '@nester/common/config/file';
import { type FlagSpec, type FlagValues, formatHelp, parseArgs, UsageError } from '@nester/common/config/flags';
import { createLogger, type Logger } from '@nester/common/log/logger';

export interface Parsed {
  values: FlagValues;
  positionals: string[];
  log: Logger;
}

/** Parses flags; undefined means --help was printed. */
export function parseCommand(
  usage: string,
  description: string,
  specs: FlagSpec[],
  argv: string[],
  env: NodeJS.ProcessEnv,
  maxPositionals = 0,
): Parsed | undefined {
  const configFile = findConfigFileArg(argv, env, 'NESTER_CONFIG');
  const { values, positionals, help } = parseArgs(specs, argv, {
    env,
    file: configFile ? loadConfigFile(configFile) : {},
  });
  if (help) {
    process.stdout.write(formatHelp(usage, description, specs));
    return undefined;
  }
  if (positionals.length > maxPositionals) throw new UsageError(`unexpected argument "${positionals[maxPositionals]}"`);
  const output = values.output;
  if (output !== undefined && output !== 'text' && output !== 'json')
    throw new UsageError('--output must be text or json');
  return { values, positionals, log: createLogger({ name: 'nester', level: values['log.level'] as string }) };
}
