// The binary's front door: --help, and refusals that say what to do (needs `npm run build`).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createAdapterDatabase, series, writeBody } from './harness';
import { freePort, httpOk, startService, eventually } from '@nester/testing/services';

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

test('--version prints the version; check-config checks flags and token files, starting nothing', () => {
  const version = run('--version');
  expect(version.status).toBe(0);
  expect(version.stdout).toMatch(/^timescale-adapter \d+\.\d+\.\d+\S*\n$/);
  expect(run('check-config', '--help').stdout).toMatch(/^usage: timescale-adapter check-config \[flags\]\n/);

  const dir = mkdtempSync(join(tmpdir(), 'ts-check-'));
  try {
    const config = join(dir, 'adapter.yml');
    const token = join(dir, 'write.token');
    writeFileSync(config, `auth.write-token-file: ${token}\nweb.listen-address: "127.0.0.1:1"\n`);
    const missing = run('check-config', `--config.file=${config}`);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(token);
    writeFileSync(token, 'write-token-0123456789abcdef\n', { mode: 0o600 });
    const ok = run('check-config', `--config.file=${config}`);
    expect({ status: ok.status, stdout: ok.stdout }).toEqual({
      status: 0,
      stdout: `timescale-adapter: configuration OK (${config})\n`,
    });
    writeFileSync(config, 'storage.chunk-interval: 10s\nauth.disabled: true\n');
    const bad = run('check-config', `--config.file=${config}`);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--storage.chunk-interval must be at least 1m');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tokens rotate on SIGHUP without a restart, and /metrics counts what was written', async () => {
  const db = await createAdapterDatabase('adapter_cli');
  const dir = mkdtempSync(join(tmpdir(), 'ts-cli-'));
  const [oldToken, newToken] = ['old-token-0123456789abcdef', 'new-token-0123456789abcdef'];
  writeFileSync(join(dir, 'write.token'), `${oldToken}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'read.token'), `${oldToken}\n`, { mode: 0o600 });
  const port = await freePort();
  const adapter = startService('node', process.execPath, [
    BIN,
    `--web.listen-address=127.0.0.1:${port}`,
    `--db.url=${db.url}`,
    `--auth.write-token-file=${join(dir, 'write.token')}`,
    `--auth.read-token-file=${join(dir, 'read.token')}`,
  ]);
  const url = `http://127.0.0.1:${port}`;
  const write = (token: string) =>
    fetch(`${url}/api/v1/write`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Encoding': 'snappy' },
      body: writeBody([series('rotated', {}, [[Date.now() - 1000, 1]])]),
    }).then((res) => res.status);
  try {
    await eventually(() => httpOk(`${url}/-/ready`), 'the adapter');
    expect(await write(oldToken)).toBe(204);
    writeFileSync(join(dir, 'write.token'), `${newToken}\n`);
    adapter.process.kill('SIGHUP');
    await eventually(async () => ((await write(newToken)) === 204 ? true : undefined), 'the reload');
    expect(await write(oldToken)).toBe(401);
    const metrics = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${oldToken}` } });
    expect(await metrics.text()).toMatch(/^timescale_adapter_samples_written_total 2$/m);
    expect(adapter.output()).toMatch(/tokens reloaded/);
  } finally {
    await adapter.stop();
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}, 60_000);
