// YAML config files whose keys are flag names, either flat (`web.listen-address: :9100`) or
// nested (`web: {listen-address: :9100}`); both read the same.

import { readFileSync } from 'node:fs';
import { defineFlags, UsageError } from './flags';

/** The `--config.file` flag every program takes, with the environment variable that can set it. */
export function configFileFlag(env: string) {
  return defineFlags({ 'config.file': { type: 'string', help: 'YAML file whose keys are flag names.', env } });
}

export function loadConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let doc: unknown;
  try {
    // Loaded here, not at start-up: most runs have no config file, and the parser (72 modules)
    // would cost every agent memory for nothing.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parse } = require('yaml') as typeof import('yaml');
    doc = parse(text);
  } catch (err) {
    throw new UsageError(`config file ${path} is not valid YAML: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UsageError(`config file ${path} must hold a mapping of flag names to values`);
  }
  return flatten(doc as Record<string, unknown>);
}

export function flatten(tree: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(flat, flatten(value as Record<string, unknown>, name));
    } else {
      flat[name] = value;
    }
  }
  return flat;
}

/** Finds `--config.file=PATH` / `--config.file PATH` (or the env variable) before full parsing. */
export function findConfigFileArg(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  envName: string | undefined,
): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') break;
    if (argv[i].startsWith('--config.file=')) return argv[i].slice('--config.file='.length);
    if (argv[i] === '--config.file') return argv[i + 1];
  }
  return (envName && env[envName]) || undefined;
}
