import { defineFlags, formatHelp, parseArgs, pickFlags, redactedValues, UsageError } from './flags';
import { parseBytes, parseDuration } from './units';

const specs = defineFlags({
  'web.listen-address': { type: 'string', help: 'Address to listen on.', default: ':9100', env: 'LISTEN' },
  'collector.cpu': { type: 'boolean', help: 'Enable the cpu collector.', default: true },
  interval: { type: 'duration', help: 'Sampling interval.', default: '15s' },
  'queue.max-size': { type: 'bytes', help: 'Queue bound.', default: '512MiB' },
  token: { type: 'string', help: 'Secret.', secret: true, env: 'TOKEN' },
  label: { type: 'list', help: 'Repeatable.' },
});

test('flags, --no- booleans, durations and sizes parse like kingpin flags', () => {
  const { values, positionals } = parseArgs(specs, [
    '--web.listen-address=127.0.0.1:9100',
    '--no-collector.cpu',
    '--interval',
    '1m30s',
    '--label=a',
    '--label',
    'b',
    'serve',
  ]);
  expect(values).toMatchObject({
    'web.listen-address': '127.0.0.1:9100',
    'collector.cpu': false,
    interval: 90_000,
    'queue.max-size': 512 * 1024 * 1024,
    label: ['a', 'b'],
  });
  expect(positionals).toEqual(['serve']);
});

test('precedence is flag, then environment, then config file, then default', () => {
  const file = { 'web.listen-address': 'file:1', interval: '5s', 'queue.max-size': 1000 };
  const env = { LISTEN: 'env:1' };
  expect(parseArgs(specs, ['--web.listen-address=flag:1'], { env, file }).values['web.listen-address']).toBe('flag:1');
  expect(parseArgs(specs, [], { env, file }).values['web.listen-address']).toBe('env:1');
  expect(parseArgs(specs, [], { file }).values).toMatchObject({
    'web.listen-address': 'file:1',
    interval: 5000,
    'queue.max-size': 1000,
  });
});

test('mistakes get errors that say what to do', () => {
  expect(() => parseArgs(specs, ['--web.listen-adress=x'])).toThrow(
    /unknown flag --web.listen-adress; did you mean --web.listen-address\?/,
  );
  expect(() => parseArgs(specs, ['--interval=soon'])).toThrow(UsageError);
  expect(() => parseArgs(specs, ['--interval=soon'])).toThrow(/--interval: "soon" is not a duration/);
  expect(() => parseArgs(specs, ['--interval'])).toThrow(/--interval needs a value/);
  expect(() => parseArgs(specs, [], { file: { bogus: 1 } })).toThrow(/config file: unknown key bogus/);
});

test("a config file shared with the binary's other commands: their keys are ignored, typos refused", () => {
  const other = defineFlags({ 'relay.max-sessions': { type: 'number', help: 'x', default: 4 } });
  const file = { 'relay.max-sessions': 9, interval: '5s' };
  expect(() => parseArgs(specs, [], { file })).toThrow(/unknown key relay.max-sessions/);
  const { values } = parseArgs(specs, [], { file, fileKeys: other });
  expect(values.interval).toBe(5000);
  expect(values).not.toHaveProperty('relay.max-sessions');
  expect(() => parseArgs(specs, [], { file: { 'relay.max-sesions': 1 }, fileKeys: other })).toThrow(
    /unknown key relay.max-sesions; did you mean --relay.max-sessions\?/,
  );
});

test('help lists every flag with its default and environment variable, never a secret', () => {
  const help = formatHelp('tool [flags]', 'Does things.', specs);
  expect(help).toContain('--web.listen-address=STRING');
  expect(help).toContain('(default: ":9100") [$LISTEN]');
  expect(help).toContain('--[no-]collector.cpu');
  expect(help).toContain('(default: "15s")');
  const { values } = parseArgs(specs, [], { env: { TOKEN: 's3cret' } });
  expect(values.token).toBe('s3cret');
  expect(JSON.stringify(redactedValues(specs, values))).not.toContain('s3cret');
});

test('the declaration types the values: defaults make a flag always set, a misspelt name does not compile', () => {
  const { values } = parseArgs(specs, ['--label=a,b']);
  const listen: string = values['web.listen-address'];
  const cpu: boolean = values['collector.cpu'];
  const interval: number = values.interval;
  const size: number = values['queue.max-size'];
  const token: string | undefined = values.token;
  const labels: string[] | undefined = values.label;
  expect([listen, cpu, interval, size, token, labels]).toEqual([
    ':9100',
    true,
    15_000,
    512 * 1024 ** 2,
    undefined,
    ['a,b'],
  ]);
  // @ts-expect-error: a flag without a default may be unset
  const unset: string = values.token;
  // @ts-expect-error: no such flag
  expect(values['web.listen-adress']).toBeUndefined();
  expect(unset).toBeUndefined();
  // @ts-expect-error: a default must have the flag's type
  defineFlags({ retries: { type: 'number', help: 'Retries.', default: 'three' } });
});

test('list flags: repeated and given in the environment or as a YAML list, defaults not shared', () => {
  const lists = defineFlags({ 'web.listen-address': { type: 'list', help: 'Repeatable.', default: [':9100'] } });
  expect(parseArgs(lists, ['--web.listen-address=:1', '--web.listen-address', ':2']).values).toEqual({
    'web.listen-address': [':1', ':2'],
  });
  expect(parseArgs(lists, [], { file: { 'web.listen-address': [':3', 4] } }).values['web.listen-address']).toEqual([
    ':3',
    '4',
  ]);
  const first = parseArgs(lists, []).values['web.listen-address'];
  first.push(':9');
  expect(parseArgs(lists, []).values['web.listen-address']).toEqual([':9100']);
});

test('pickFlags takes the values of one declaration out of a larger parse, typed', () => {
  const own = defineFlags({
    'collector.x.fields': { type: 'string', help: 'Fields.', default: '^a' },
    'collector.x.exclude': { type: 'string', help: 'Exclude.' },
  });
  const { values } = parseArgs({ ...specs, ...own }, ['--collector.x.exclude=lo']);
  const picked = pickFlags(own, values);
  const fields: string = picked['collector.x.fields'];
  expect(fields).toBe('^a');
  expect(picked).toEqual({ 'collector.x.fields': '^a', 'collector.x.exclude': 'lo' });
  // A parse that did not include the declaration cannot pass for one.
  expect(() => pickFlags(own, parseArgs(specs, []).values)).toThrow(/--collector.x.fields is missing/);
});

test('a number, duration or size is finite and a size not negative, wherever it comes from', () => {
  const huge = '9'.repeat(400);
  expect(() => parseArgs(specs, [`--interval=${huge}s`])).toThrow(/--interval: ".*" is not a duration/);
  expect(() => parseArgs(specs, [`--queue.max-size=${huge}`])).toThrow(/--queue.max-size: ".*" is not a size/);
  // YAML has .nan and .inf, and numbers with signs: a config file must not slip them past the checks.
  for (const bad of [NaN, Infinity, -Infinity, -1]) {
    expect(() => parseArgs(specs, [], { file: { 'queue.max-size': bad } })).toThrow(
      /config file key queue.max-size: ".*" is not a size/,
    );
  }
  const counts = defineFlags({ retries: { type: 'number', help: 'Retries.', default: 3 } });
  expect(() => parseArgs(counts, [], { file: { retries: NaN } })).toThrow(/retries: "NaN" is not a number/);
  expect(parseArgs(counts, [], { file: { retries: -1 } }).values.retries).toBe(-1);
  expect(parseArgs(specs, [], { file: { 'queue.max-size': 1000 } }).values['queue.max-size']).toBe(1000);
});

test('units', () => {
  expect(parseDuration('500ms')).toBe(500);
  expect(parseDuration('90d')).toBe(90 * 86_400_000);
  expect(parseDuration('30')).toBe(30_000);
  expect(() => parseDuration('15 s')).toThrow();
  expect(() => parseDuration('1h garbage')).toThrow();
  expect(parseBytes('64KiB')).toBe(65536);
  expect(parseBytes('1GB')).toBe(1e9);
  expect(() => parseBytes('-1')).toThrow();
});
