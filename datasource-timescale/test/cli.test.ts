// The binary's front door: --help, and refusals that say what to do (needs `npm run build`).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '../bin/timescale-adapter.js');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 20_000 });

test('--help lists the flags with their defaults and environment variables', () => {
  const { status, stdout } = run('--help');
  expect(status).toBe(0);
  expect(stdout).toMatch(/--web\.listen-address=STRING .*\(default: ":9201"\) \[\$ADAPTER_LISTEN_ADDRESS\]/);
  expect(stdout).toMatch(/--db\.url=STRING .*\[\$DATABASE_URL\]/);
  expect(stdout).toMatch(/--storage\.retention=DURATION .*\(default: "90d"\)/);
  expect(stdout).toMatch(/--auth\.write-token-file=VALUE/);
});

test('refuses to start without any token, or with a bad flag, in one line and exit code 2', () => {
  const noTokens = run('--data-dir=/nonexistent');
  expect(noTokens.status).toBe(2);
  expect(noTokens.stderr).toMatch(/no tokens configured: give --auth.write-token-file and --auth.read-token-file/);
  const typo = run('--storage.retension=30d');
  expect(typo.status).toBe(2);
  expect(typo.stderr).toMatch(/unknown flag --storage.retension; did you mean --storage.retention\?/);
  const short = run('--auth.write-token=short');
  expect(short.status).toBe(2);
  expect(short.stderr).toMatch(/shorter than 16 characters/);
});
