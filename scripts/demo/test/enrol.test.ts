// The demo's enrolment against a real nester (embedded PostgreSQL through the jest global setup):
// the harvester is enrolled with its labels, and the token it used is of no use afterwards.

import { createTestDatabase, type TestDatabase } from '@nester/testing/database';
import { HARVESTER_BIN } from '@nester/testing/harvester';
import { freePort, type Service, startService, waitForHttp } from '@nester/testing/services';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { enrolDemoMachine } from '../src/enrol';

const NESTER = resolve(__dirname, '../../../nester/bin/nester.js');
const run = promisify(execFile);
let database: TestDatabase;
let dataDir: string;
let nester: Service;
let nesterUrl: string;

beforeAll(async () => {
  database = await createTestDatabase('demoenrol');
  dataDir = mkdtempSync(join(tmpdir(), 'demo-enrol-'));
  const port = await freePort();
  nesterUrl = `http://127.0.0.1:${port}`;
  nester = startService(
    'nester',
    process.execPath,
    [NESTER, 'serve', `--web.listen-address=127.0.0.1:${port}`, `--data-dir=${join(dataDir, 'nester')}`],
    { DATABASE_URL: database.url, NESTER_LOG_LEVEL: 'warn' },
  );
  await waitForHttp(nester, `${nesterUrl}/healthz`, { timeoutMs: 60_000 });
}, 90_000);

afterAll(async () => {
  await nester?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the demo enrols its harvester with a token nobody can use afterwards', async () => {
  // The real harvester behind a wrapper that keeps its arguments: the test learns the token as
  // someone reading the demo's process list or shell history would.
  const seen = join(dataDir, 'harvester-args');
  const harvesterBin = join(dataDir, 'harvester');
  writeFileSync(harvesterBin, `#!/bin/sh\nprintf '%s\\n' "$@" > '${seen}'\nexec '${HARVESTER_BIN}' "$@"\n`, {
    mode: 0o755,
  });
  const options = {
    nesterBin: NESTER,
    harvesterBin,
    database: [`--db.url=${database.url}`],
    nesterUrl,
    labels: ['env=demo'],
  };
  const stateDir = join(dataDir, 'state');
  const { harvesterId, tokenId } = await enrolDemoMachine({ ...options, stateDir });
  expect(JSON.parse(readFileSync(join(stateDir, 'nester.json'), 'utf8'))).toMatchObject({ harvesterId });

  const { stdout } = await run(process.execPath, [
    NESTER,
    'token',
    'list',
    '--output=json',
    `--db.url=${database.url}`,
  ]);
  const tokens = (
    JSON.parse(stdout) as { tokens: { id: string; status: string; maxUses: number | null; expiresAt: string | null }[] }
  ).tokens;
  expect(tokens).toHaveLength(1);
  expect(tokens[0]).toMatchObject({ id: tokenId, status: 'revoked', maxUses: 1 });
  expect(Date.parse(tokens[0].expiresAt ?? '')).toBeLessThanOrEqual(Date.now() + 10 * 60_000);

  const token = readFileSync(seen, 'utf8')
    .split('\n')
    .find((arg) => arg.startsWith('--token='));
  expect(token).toMatch(/^--token=et_/);
  const again = run(HARVESTER_BIN, [
    'enroll',
    `--nester-url=${nesterUrl}`,
    token!,
    `--state-dir=${join(dataDir, 'other')}`,
  ]);
  await expect(again).rejects.toMatchObject({ stderr: expect.stringContaining('nester refused the enrolment') });
}, 60_000);
