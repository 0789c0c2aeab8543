// Command-line flags in the style of Prometheus tools (kingpin): `--web.listen-address=:9100`,
// `--collector.cpu` / `--no-collector.cpu`. Every flag can also come from an environment
// variable or a YAML config file; precedence is flag > environment > file > default.
//
// A program declares its flags once, as an object keyed by flag name (`defineFlags`); the
// declaration gives parsing, environment variables, config file keys, `--help`, and the type of
// the parsed values (`FlagValuesOf`), so a misspelt flag name is a compile error.

import { formatDuration, parseBytes, parseDuration } from './units';

export type FlagType = 'string' | 'boolean' | 'number' | 'duration' | 'bytes' | 'list';
export type FlagValue = string | number | boolean | string[];

interface FlagDefBase {
  help: string;
  /** Environment variable that sets this flag when the command line does not. */
  env?: string;
  /** Hide the value in --help output and in logged configuration. */
  secret?: boolean;
}

/** One flag; its default is in the flag's own type (durations and sizes may be text: "15s"). */
export type FlagDef =
  | (FlagDefBase & { type: 'string'; default?: string })
  | (FlagDefBase & { type: 'boolean'; default?: boolean })
  | (FlagDefBase & { type: 'number'; default?: number })
  | (FlagDefBase & { type: 'duration' | 'bytes'; default?: string | number })
  | (FlagDefBase & { type: 'list'; default?: readonly string[] });

/** Flags keyed by name without the leading dashes, e.g. `web.listen-address`, in --help order. */
export type FlagDefs = { readonly [name: string]: FlagDef };

type ValueOfType<T extends FlagType> = T extends 'string'
  ? string
  : T extends 'boolean'
    ? boolean
    : T extends 'list'
      ? string[]
      : number;

/**
 * The parsed values of a declaration: string → string, boolean → boolean, number, duration
 * (milliseconds) and bytes → number, list → string[]; a flag without a default may be undefined.
 */
export type FlagValuesOf<D extends FlagDefs> = {
  readonly [K in keyof D]: ValueOfType<D[K]['type']> | (D[K] extends { default: unknown } ? never : undefined);
};

/** The names of the flags of one type in a declaration, for helpers that check such values. */
export type FlagNamesOfType<D extends FlagDefs, T extends FlagType> = {
  [K in keyof D & string]: D[K]['type'] extends T ? K : never;
}[keyof D & string];

/** Parsed values of flags whose declaration is not known statically. */
export type AnyFlagValues = { readonly [name: string]: FlagValue | undefined };

/** Declares flags; returns them as given, typed precisely enough for `FlagValuesOf`. */
export function defineFlags<const D extends FlagDefs>(defs: D): D {
  return defs;
}

/** A mistake in how the program was invoked; the message says what to do instead. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedArgs<D extends FlagDefs> {
  values: FlagValuesOf<D>;
  positionals: string[];
  help: boolean;
}

export interface ParseOptions {
  env?: NodeJS.ProcessEnv;
  /** Flattened config file contents (see config/file.ts), lowest precedence. */
  file?: Record<string, unknown>;
  /**
   * Keys the config file may hold beyond this command's flags, when the binary's commands share
   * one (`nester token create` reads the server's nester.yml): accepted and ignored. Any other key
   * is still refused, as a typo.
   */
  fileKeys?: FlagDefs;
}

interface Spec {
  name: string;
  def: FlagDef;
}

function specsOf(defs: FlagDefs): Spec[] {
  return Object.entries(defs).map(([name, def]) => ({ name, def }));
}

export function parseArgs<const D extends FlagDefs>(
  defs: D,
  argv: readonly string[],
  options: ParseOptions = {},
): ParsedArgs<D> {
  const specs = specsOf(defs);
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
    if (!spec && name.startsWith('no-') && byName.get(name.slice(3))?.def.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      name = name.slice(3);
      spec = byName.get(name);
      inline = 'false';
    }
    if (!spec) throw new UsageError(unknownFlagMessage(name, specs));
    if (inline === undefined) {
      if (spec.def.type === 'boolean') inline = 'true';
      else if (i + 1 < argv.length) inline = argv[++i];
      else throw new UsageError(`--${name} needs a value (${spec.def.type})`);
    }
    const value = convert(spec.def, inline, `--${name}`);
    const previous = fromArgs.get(name);
    fromArgs.set(name, Array.isArray(previous) && Array.isArray(value) ? [...previous, ...value] : value);
  }

  const env = options.env ?? {};
  const file = options.file ?? {};
  const fileSpecs = options.fileKeys ? [...specs, ...specsOf(options.fileKeys)] : specs;
  const fileKeys = new Set(fileSpecs.map((spec) => spec.name));
  for (const key of Object.keys(file)) {
    if (!fileKeys.has(key))
      throw new UsageError(`config file: ${unknownFlagMessage(key, fileSpecs).replace('flag --', 'key ')}`);
  }

  const values: Record<string, FlagValue | undefined> = {};
  for (const { name, def } of specs) {
    const fromEnv = def.env ? env[def.env] : undefined;
    if (fromArgs.has(name)) {
      values[name] = fromArgs.get(name);
    } else if (def.env && fromEnv !== undefined && fromEnv !== '') {
      values[name] = convert(def, fromEnv, `$${def.env}`);
    } else if (file[name] !== undefined) {
      values[name] = fromFile(name, def, file[name]);
    } else if (def.default !== undefined) {
      values[name] = typeof def.default === 'string' ? convert(def, def.default, 'default') : copy(def.default);
    }
  }
  // Every declared flag with a default got a value above; the others may be undefined.
  return { values: values as FlagValuesOf<D>, positionals, help };
}

/**
 * The values of `defs` out of a parse of a larger set that includes them (one collector's
 * flags out of the agent's), typed by their declaration.
 */
export function pickFlags<D extends FlagDefs>(defs: D, values: AnyFlagValues): FlagValuesOf<D> {
  const picked: Record<string, FlagValue | undefined> = {};
  for (const { name, def } of specsOf(defs)) {
    if (def.default !== undefined && values[name] === undefined)
      throw new Error(`flag --${name} is missing from the parsed values; parse with its declaration`);
    picked[name] = values[name];
  }
  return picked as FlagValuesOf<D>;
}

function copy(value: string | number | boolean | readonly string[]): FlagValue {
  return typeof value === 'object' ? [...value] : value;
}

function convert(def: FlagDef, text: string, where: string): FlagValue {
  try {
    switch (def.type) {
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

function fromFile(name: string, def: FlagDef, raw: unknown): FlagValue {
  if (def.type === 'list') {
    const items = Array.isArray(raw) ? raw : [raw];
    return items.map((item) => String(item));
  }
  // YAML numbers are taken as they are, but only those the text form would accept (not .nan,
  // .inf, or a negative size); the others get the text form's error.
  if (typeof raw === 'number' && Number.isFinite(raw) && (def.type === 'number' || (def.type === 'bytes' && raw >= 0)))
    return raw;
  if (typeof raw === 'boolean' && def.type === 'boolean') return raw;
  return convert(def, String(raw), `config file key ${name}`);
}

function unknownFlagMessage(name: string, specs: Spec[]): string {
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
export function formatHelp(usage: string, description: string, defs: FlagDefs): string {
  const rows = [['-h, --help', 'Show this help and exit.']];
  for (const { name, def } of specsOf(defs)) {
    const flag = def.type === 'boolean' ? `    --[no-]${name}` : `    --${name}=${placeholder(def)}`;
    let help = def.help;
    const shown = defaultText(def);
    if (shown !== undefined) help += ` (default: ${shown})`;
    if (def.env) help += ` [$${def.env}]`;
    rows.push([flag, help]);
  }
  const width = Math.min(48, Math.max(...rows.map(([flag]) => flag.length)) + 2);
  const lines = rows.map(([flag, help]) =>
    flag.length + 2 > width ? `  ${flag}\n  ${' '.repeat(width)}${help}` : `  ${flag.padEnd(width)}${help}`,
  );
  return `usage: ${usage}\n\n${description}\n\nFlags:\n${lines.join('\n')}\n`;
}

function placeholder(def: FlagDef): string {
  return { string: 'STRING', list: 'VALUE', number: 'N', duration: 'DURATION', bytes: 'SIZE', boolean: '' }[def.type];
}

function defaultText(def: FlagDef): string | undefined {
  if (def.default === undefined || def.default === '') return undefined;
  if (def.secret) return '<hidden>';
  if (def.type === 'duration' && typeof def.default === 'number') return formatDuration(def.default);
  if (def.type === 'list') return def.default.length ? def.default.join(',') : undefined;
  return JSON.stringify(def.default);
}

/** The flag values with secrets masked, fit for a start-up log line. */
export function redactedValues(defs: FlagDefs, values: AnyFlagValues): Record<string, FlagValue> {
  const shown: Record<string, FlagValue> = {};
  for (const { name, def } of specsOf(defs)) {
    const value = values[name];
    if (value === undefined) continue;
    shown[name] = def.secret ? '<hidden>' : value;
  }
  return shown;
}
