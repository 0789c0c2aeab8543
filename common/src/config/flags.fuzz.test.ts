// Fuzz: command lines, environments and config files are typed by operators (and by scripts that
// template them). Whatever they hold, parsing either refuses with a UsageError saying what to do
// or returns values of exactly the declared types, with every defaulted flag set, and the values
// of secret flags appear neither in --help nor in the logged configuration.

import { seeded, type Random } from '@nester/testing/random';
import { defineFlags, type FlagDef, formatHelp, parseArgs, pickFlags, redactedValues, UsageError } from './flags';

const FLAGS = defineFlags({
  'web.listen-address': { type: 'list', help: 'Addresses.', default: [':9100'], env: 'FUZZ_LISTEN' },
  'web.telemetry-path': { type: 'string', help: 'Path.', default: '/metrics' },
  'web.max-requests': { type: 'number', help: 'Requests.', default: 40, env: 'FUZZ_MAX_REQUESTS' },
  'collector.cpu': { type: 'boolean', help: 'CPU.' },
  'collector.cpu.guest': { type: 'boolean', help: 'Guest.', default: true, env: 'FUZZ_GUEST' },
  'push.interval': { type: 'duration', help: 'Interval.', default: '15s', env: 'FUZZ_INTERVAL' },
  'push.timeout': { type: 'duration', help: 'Timeout.', default: 30_000 },
  'queue.max-size': { type: 'bytes', help: 'Bound.', default: '256MiB', env: 'FUZZ_MAX_SIZE' },
  'push.instance': { type: 'string', help: 'Instance.' },
  'db.url': { type: 'string', help: 'URL.', secret: true, env: 'FUZZ_DB_URL' },
  'auth.token': { type: 'list', help: 'Tokens.', secret: true, env: 'FUZZ_TOKEN' },
});
const NAMES = Object.keys(FLAGS);
const ENVS = Object.values(FLAGS as Record<string, FlagDef>).flatMap((def) => (def.env ? [def.env] : []));

const TEXTS = [
  '',
  ' ',
  '0',
  '-1',
  '1',
  '40',
  '1.5',
  '1e3',
  '1e400',
  '9'.repeat(400),
  'NaN',
  'Infinity',
  '0x10',
  '15s',
  '1h30m',
  '90d',
  '500ms',
  '15 s',
  '1h garbage',
  '512MiB',
  '1GB',
  '64kib',
  'true',
  'false',
  'yes',
  'no',
  'TRUE',
  ':9100',
  '127.0.0.1:9100',
  '[::1]:9100',
  'a,b',
  '=',
  '--',
  '-h',
  '--help',
  'é',
  '\u0000',
  '\n',
  'x'.repeat(5000),
];
const FILE_VALUES: unknown[] = [
  ...TEXTS,
  0,
  -1,
  1.5,
  40,
  1e21,
  NaN,
  Infinity,
  -Infinity,
  true,
  false,
  null,
  [],
  ['a', 1],
];

function name(random: Random): string {
  const base = random.pick(NAMES);
  switch (random.int(20)) {
    case 0: // a typo
      return base.slice(0, random.int(base.length)) + base.slice(random.int(base.length) + 1);
    case 1:
      return random.string(random.between(0, 12), 'abc.-=_');
    default:
      return base;
  }
}

function argument(random: Random, secrets: string[]): string[] {
  const value = () => {
    if (random.chance(0.1)) {
      const secret = `S3CRET-${secrets.length}-${random.int(1e9)}`;
      secrets.push(secret);
      return secret;
    }
    return random.pick(TEXTS);
  };
  switch (random.int(8)) {
    case 0:
      return [`--${name(random)}`, value()];
    case 1:
      return [`--no-${name(random)}`];
    case 2:
      return [`--no-${name(random)}=${value()}`];
    case 3:
      return [`--${name(random)}`];
    case 4:
      return [random.pick(['-h', '--help', '--', 'serve', '-x', '---', '--='])];
    default:
      return [`--${name(random)}=${value()}`];
  }
}

function hasType(def: FlagDef, value: unknown): boolean {
  switch (def.type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    default:
      return typeof value === 'number' && Number.isFinite(value) && (def.type === 'number' || value >= 0);
  }
}

test('any command line, environment and config file: typed values or a UsageError, secrets kept', () => {
  const random = seeded(0x5eed_f1a9);
  const started = Date.now();
  let accepted = 0;
  for (let round = 0; round < 4000; round++) {
    const secrets: string[] = [];
    const argv = Array.from({ length: random.int(5) }, () => argument(random, secrets)).flat();
    const env: NodeJS.ProcessEnv = {};
    for (const variable of ENVS) {
      if (random.chance(0.1)) env[variable] = random.chance(0.3) ? `S3CRET-${variable}-${round}` : random.pick(TEXTS);
    }
    const file: Record<string, unknown> = {};
    for (let i = random.int(3); i > 0; i--)
      file[random.chance(0.9) ? random.pick(NAMES) : name(random)] = random.pick(FILE_VALUES);

    let values;
    try {
      ({ values } = parseArgs(FLAGS, argv, { env, file }));
    } catch (err) {
      if (!(err instanceof UsageError) || !err.message) expect({ argv, env, file, err }).toBeUndefined();
      continue;
    }
    accepted++;
    for (const [flag, def] of Object.entries(FLAGS as Record<string, FlagDef>)) {
      const value = (values as Record<string, unknown>)[flag];
      const ok = value === undefined ? def.default === undefined : hasType(def, value);
      if (!ok) expect({ argv, env, file, flag, value }).toBeUndefined();
    }
    expect(pickFlags(FLAGS, values)).toEqual(values);
    const shown = JSON.stringify(redactedValues(FLAGS, values)) + formatHelp('fuzz', 'Fuzz.', FLAGS);
    for (const secret of [...secrets, ...ENVS.map((variable) => `S3CRET-${variable}-${round}`)]) {
      const inSecretFlag = [values['db.url'], ...(values['auth.token'] ?? [])].some((v) => v?.includes(secret));
      if (inSecretFlag) expect(shown).not.toContain(secret);
    }
  }
  // Enough rounds get through to check the values, and the whole run stays a few seconds.
  expect(accepted).toBeGreaterThan(400);
  expect(Date.now() - started).toBeLessThan(20_000);
});
