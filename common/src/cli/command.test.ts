import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFileFlag } from '../config/file';
import { defineFlags, UsageError } from '../config/flags';
import { type Command, parseCommand } from './command';

const flags = defineFlags({
  ...configFileFlag('TOOL_CONFIG'),
  'web.listen-address': { type: 'string', help: 'Address to listen on.', default: ':9100', env: 'TOOL_LISTEN' },
  'db.url': { type: 'string', help: 'Database URL.', secret: true, env: 'DATABASE_URL' },
});

const command: Command<typeof flags> = {
  usage: 'tool revoke <id> [flags]',
  description: 'Revokes things.',
  flags,
  maxPositionals: 1,
};

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'nester-command-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  let text = '';
  return { out: { write: (chunk: string) => (text += chunk) }, text: () => text };
}

test('flag > environment > --config.file (named by flag or by its variable) > default', () => {
  const file = join(dir, 'tool.yaml');
  writeFileSync(file, 'web:\n  listen-address: ":7000"\n');
  const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
    parseCommand(command, argv, env)?.values['web.listen-address'];
  expect(parse([])).toBe(':9100');
  expect(parse([`--config.file=${file}`])).toBe(':7000');
  expect(parse(['--config.file', file])).toBe(':7000');
  expect(parse([], { TOOL_CONFIG: file })).toBe(':7000');
  expect(parse([], { TOOL_CONFIG: file, TOOL_LISTEN: ':8000' })).toBe(':8000');
  expect(parse(['--web.listen-address=:9000'], { TOOL_CONFIG: file, TOOL_LISTEN: ':8000' })).toBe(':9000');
});

test('--help prints the flags (secrets hidden) and parses nothing further', () => {
  const { out, text } = capture();
  expect(parseCommand(command, ['--help'], { DATABASE_URL: 'postgres://u:s3cret@h/db' }, out)).toBeUndefined();
  expect(text()).toMatch(/^usage: tool revoke <id> \[flags\]\n\nRevokes things\.\n\nFlags:\n/);
  expect(text()).toContain('--config.file=STRING');
  expect(text()).toContain('[$TOOL_CONFIG]');
  expect(text()).not.toContain('s3cret');
});

test('positional arguments beyond what the command takes, unknown flags and bad files are usage errors', () => {
  expect(parseCommand(command, ['abc'], {})?.positionals).toEqual(['abc']);
  expect(() => parseCommand(command, ['abc', 'def'], {})).toThrow(new UsageError('unexpected argument "def"'));
  expect(() => parseCommand(command, ['--db.ulr=x'], {})).toThrow(/did you mean --db.url\?/);
  expect(() => parseCommand(command, ['--config.file', join(dir, 'missing.yaml')], {})).toThrow(
    /cannot read config file .*missing.yaml: ENOENT/,
  );
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'web.listen-adress: ":1"\n');
  expect(() => parseCommand(command, [], { TOOL_CONFIG: bad })).toThrow(
    /config file: unknown key web.listen-adress; did you mean --web.listen-address\?/,
  );
});

test('a command without a config.file flag reads no file, whatever the arguments', () => {
  const plain = { usage: 'tool', description: 'Tool.', flags: defineFlags({ x: { type: 'string', help: 'X.' } }) };
  expect(() => parseCommand(plain, ['--config.file=/nonexistent'], {})).toThrow(/unknown flag --config.file/);
});
