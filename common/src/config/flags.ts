// Command-line flags in the style of Prometheus tools (kingpin): `--web.listen-address=:9100`,
// `--collector.cpu` / `--no-collector.cpu`. Every flag can also come from an environment
// variable or a YAML config file; precedence is flag > environment > file > default.

import { formatDuration, parseBytes, parseDuration } from './units';

export type FlagType = 'string' | 'boolean' | 'number' | 'duration' | 'bytes' | 'list';
export type FlagValue = string | number | boolean | string[];

export interface FlagSpec {
  /** Name without the leading dashes, e.g. `web.listen-address`. */
  name: string;
  type: FlagType;
  help: string;
  /** Default in the flag's own type; durations and sizes may be given as text ("15s"). */
  default?: FlagValue;
  /** Environment variable that sets this flag when the command line does not. */
  env?: string;
  /** Hide the value in --help output and in logged configuration. */
  secret?: boolean;
}

export type FlagValues = Record<string, FlagValue | undefined>;

/** A mistake in how the program was invoked; the message says what to do instead. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedArgs {
  values: FlagValues;
  positionals: string[];
  help: boolean;
}

export interface ParseOptions {
  env?: NodeJS.ProcessEnv;
  /** Flattened config file contents (see config/file.ts), lowest precedence. */
  file?: Record<string, unknown>;
}

export function parseArgs(specs: FlagSpec[], argv: string[], options: ParseOptions = {}): ParsedArgs {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const fromArgs = new Map<string, FlagValue>();
  const positionals: string[] = [];
  let help = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    let name = arg.slice(2, eq < 0 ? undefined : eq);
    let inline = eq < 0 ? undefined : arg.slice(eq + 1);
    let spec = byName.get(name);
    if (!spec && name.startsWith('no-') && byName.get(name.slice(3))?.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      name = name.slice(3);
      spec = byName.get(name);
      inline = 'false';
    }
    if (!spec) throw new UsageError(unknownFlagMessage(name, specs));
    if (inline === undefined) {
      if (spec.type === 'boolean') inline = 'true';
      else if (i + 1 < argv.length) inline = argv[++i];
      else throw new UsageError(`--${name} needs a value (${spec.type})`);
    }
    const value = convert(spec, inline, `--${name}`);
    const previous = fromArgs.get(name);
    fromArgs.set(name, spec.type === 'list' && Array.isArray(previous) ? [...previous, ...(value as string[])] : value);
  }

  const env = options.env ?? {};
  const file = options.file ?? {};
  for (const key of Object.keys(file)) {
    if (!byName.has(key))
      throw new UsageError(`config file: ${unknownFlagMessage(key, specs).replace('flag --', 'key ')}`);
  }

  const values: FlagValues = {};
  for (const spec of specs) {
    if (fromArgs.has(spec.name)) {
      values[spec.name] = fromArgs.get(spec.name);
    } else if (spec.env && env[spec.env] !== undefined && env[spec.env] !== '') {
      values[spec.name] = convert(spec, env[spec.env] as string, `$${spec.env}`);
    } else if (file[spec.name] !== undefined) {
      values[spec.name] = fromFile(spec, file[spec.name]);
    } else if (spec.default !== undefined) {
      values[spec.name] = typeof spec.default === 'string' ? convert(spec, spec.default, 'default') : spec.default;
    }
  }
  return { values, positionals, help };
}

function convert(spec: FlagSpec, text: string, where: string): FlagValue {
  try {
    switch (spec.type) {
      case 'string':
        return text;
      case 'list':
        return text === '' ? [] : [text];
      case 'boolean':
        if (/^(true|1|yes)$/i.test(text)) return true;
        if (/^(false|0|no)$/i.test(text)) return false;
        throw new Error(`"${text}" is not a boolean; use true or false`);
      case 'number': {
        const n = Number(text);
        if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`"${text}" is not a number`);
        return n;
      }
      case 'duration':
        return parseDuration(text);
      case 'bytes':
        return parseBytes(text);
    }
  } catch (err) {
    throw new UsageError(`${where}: ${(err as Error).message}`);
  }
}

function fromFile(spec: FlagSpec, raw: unknown): FlagValue {
  if (spec.type === 'list') {
    const items = Array.isArray(raw) ? raw : [raw];
    return items.map((item) => String(item));
  }
  if (typeof raw === 'number' && (spec.type === 'number' || spec.type === 'bytes')) return raw;
  if (typeof raw === 'boolean' && spec.type === 'boolean') return raw;
  return convert(spec, String(raw), `config file key ${spec.name}`);
}

function unknownFlagMessage(name: string, specs: FlagSpec[]): string {
  const close = specs
    .map((spec) => ({ spec, distance: editDistance(name, spec.name) }))
    .filter(({ distance }) => distance <= Math.max(2, Math.floor(name.length / 4)))
    .sort((a, b) => a.distance - b.distance)[0];
  const hint = close ? `; did you mean --${close.spec.name}?` : '; see --help for the list';
  return `unknown flag --${name}${hint}`;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/** Renders `--help` in the familiar kingpin layout. */
export function formatHelp(usage: string, description: string, specs: FlagSpec[]): string {
  const rows = [['-h, --help', 'Show this help and exit.']];
  for (const spec of specs) {
    const flag = spec.type === 'boolean' ? `    --[no-]${spec.name}` : `    --${spec.name}=${placeholder(spec)}`;
    let help = spec.help;
    const shown = defaultText(spec);
    if (shown !== undefined) help += ` (default: ${shown})`;
    if (spec.env) help += ` [$${spec.env}]`;
    rows.push([flag, help]);
  }
  const width = Math.min(48, Math.max(...rows.map(([flag]) => flag.length)) + 2);
  const lines = rows.map(([flag, help]) =>
    flag.length + 2 > width ? `  ${flag}\n  ${' '.repeat(width)}${help}` : `  ${flag.padEnd(width)}${help}`,
  );
  return `usage: ${usage}\n\n${description}\n\nFlags:\n${lines.join('\n')}\n`;
}

function placeholder(spec: FlagSpec): string {
  return { string: 'STRING', list: 'VALUE', number: 'N', duration: 'DURATION', bytes: 'SIZE', boolean: '' }[spec.type];
}

function defaultText(spec: FlagSpec): string | undefined {
  if (spec.default === undefined || spec.default === '') return undefined;
  if (spec.secret) return '<hidden>';
  if (spec.type === 'duration' && typeof spec.default === 'number') return formatDuration(spec.default);
  if (Array.isArray(spec.default)) return spec.default.length ? spec.default.join(',') : undefined;
  return JSON.stringify(spec.default);
}

/** The flag values with secrets masked, fit for a start-up log line. */
export function redactedValues(specs: FlagSpec[], values: FlagValues): FlagValues {
  const shown: FlagValues = {};
  for (const spec of specs) {
    const value = values[spec.name];
    if (value === undefined) continue;
    shown[spec.name] = spec.secret ? '<hidden>' : value;
  }
  return shown;
}
