// The front matter every command of every binary shares: its declared flags from argv, the
// environment and the YAML --config.file, --help, and the positional arguments it takes.

import { findConfigFileArg, loadConfigFile } from '../config/file';
import { type FlagDefs, type FlagValuesOf, formatHelp, parseArgs, UsageError } from '../config/flags';

export interface Command<D extends FlagDefs> {
  /** What --help shows after `usage:`, e.g. `harvester enroll --nester-url URL --token TOKEN [flags]`. */
  usage: string;
  description: string;
  /** With a `config.file` flag (config/file.ts `configFileFlag`), the command reads that YAML file. */
  flags: D;
  /** Positional arguments it takes (`nester token revoke <id>`); more is a usage error. */
  maxPositionals?: number;
  /** Other keys its config file may hold, when the binary's commands share one (ParseOptions.fileKeys). */
  configFileKeys?: FlagDefs;
}

export interface Invocation<D extends FlagDefs> {
  values: FlagValuesOf<D>;
  positionals: string[];
}

/** Parses one command's arguments; undefined when --help was asked for (and printed). */
export function parseCommand<const D extends FlagDefs>(
  command: Command<D>,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  stdout: { write(text: string): unknown } = process.stdout,
): Invocation<D> | undefined {
  const configFile =
    'config.file' in command.flags ? findConfigFileArg(argv, env, command.flags['config.file'].env) : undefined;
  const { values, positionals, help } = parseArgs(command.flags, argv, {
    env,
    file: configFile ? loadConfigFile(configFile) : {},
    fileKeys: command.configFileKeys,
  });
  if (help) {
    stdout.write(formatHelp(command.usage, command.description, command.flags));
    return undefined;
  }
  const max = command.maxPositionals ?? 0;
  if (positionals.length > max) throw new UsageError(`unexpected argument "${positionals[max]}"`);
  return { values, positionals };
}
