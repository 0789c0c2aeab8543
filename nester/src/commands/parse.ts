// Front matter of every nester command: common's parseCommand (flags from argv, environment and
// config file, --help), then what all of nester's commands check and need: --output, a logger.

import { type Command, type Invocation, parseCommand } from '@nester/common/cli/command';
import { pickFlags, UsageError } from '@nester/common/config/flags';
import { createLogger, type Logger } from '@nester/common/log/logger';
import { DATABASE_FLAGS, type DatabaseFlagValues, OUTPUT_FLAG } from '../config/flags';

export interface Parsed<D extends typeof DATABASE_FLAGS> extends Invocation<D> {
  /** The flags every command takes (config file, database, log level). */
  database: DatabaseFlagValues;
  log: Logger;
}

/** Parses a command's flags; undefined means --help was printed. */
export function parseNesterCommand<const D extends typeof DATABASE_FLAGS>(
  command: Command<D>,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Parsed<D> | undefined {
  const parsed = parseCommand(command, argv, env);
  if (!parsed) return undefined;
  if ('output' in command.flags) {
    const { output } = pickFlags(OUTPUT_FLAG, parsed.values);
    if (output !== 'text' && output !== 'json') throw new UsageError('--output must be text or json');
  }
  const database = pickFlags(DATABASE_FLAGS, parsed.values);
  return { ...parsed, database, log: createLogger({ name: 'nester', level: database['log.level'] }) };
}
