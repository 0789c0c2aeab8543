// The `nester` binary as operators run it: token commands, --help, bad flags, and a crash
// (SIGKILL) in the middle of a recorded terminal session.

import { messageText } from '@nester/common/net/ws-message';
import { createTestDatabase, type TestDatabase } from '@nester/testing/database';
import { eventually, freePort, type Service, startService } from '@nester/testing/services';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { spawnHarvester, enrol } from '@nester/testing/harvester';
import { GRAFANA_ORIGIN } from './support/nester';

const NESTER = resolve(__dirname, '../bin/nester.js');
let database: TestDatabase;
let dataDir: string;
const running: Service[] = [];

beforeAll(async () => {
  database = await createTestDatabase('nestercli');
  dataDir = mkdtempSync(join(tmpdir(), 'nester-cli-'));
});

afterAll(async () => {
  for (const service of running) await service.stop('SIGKILL');
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function nester(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [NESTER, ...args], {
      env: { ...process.env, DATABASE_URL: database.url, NESTER_LOG_LEVEL: 'warn' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('token and api-token commands create, list and revoke; secrets are printed once', async () => {
  const created = await nester(
    'token',
    'create',
    '--description',
    'rack 7',
    '--ttl',
    '1h',
    '--max-uses',
    '3',
    '--output',
    'json',
  );
  expect(created.code).toBe(0);
  const token = JSON.parse(created.stdout);
  expect(token).toMatchObject({ description: 'rack 7', maxUses: 3, uses: 0, status: 'active' });
  expect(token.token).toMatch(/^et_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
  const listed = await nester('token', 'list');
  expect(listed.stdout).toMatch(new RegExp(`${token.id}\\s+active\\s+0/3`));
  expect(listed.stdout).not.toContain(token.token.split('.')[1]);
  expect((await nester('token', 'revoke', token.id)).stdout).toContain(`revoked ${token.id}`);
  expect((await nester('token', 'list', '--output', 'json')).stdout).toContain('"status":"revoked"');

  const api = await nester('api-token', 'create', '--description', 'grafana');
  expect(api.stdout.trim()).toMatch(/^at_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
  expect(api.stderr).toContain('shown only now');
  const id = api.stdout.trim().split('.')[0];
  expect((await nester('api-token', 'revoke', id)).code).toBe(0);
  expect((await nester('api-token', 'list')).stdout).toMatch(new RegExp(`${id}.*\\d{4}-.*grafana`));
});

test("token commands take the server's nester.yml; a typo in it is still refused", async () => {
  const config = join(dataDir, 'shared.yml');
  writeFileSync(
    config,
    'web.listen-address: 127.0.0.1:8443\npublic-url: https://nester.example.com\nlog.level: warn\n',
  );
  const created = await nester('token', 'create', `--config.file=${config}`, '--max-uses=1', '--output=json');
  expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(created.stdout)).toMatchObject({ maxUses: 1, status: 'active' });
  expect((await nester('api-token', 'list', `--config.file=${config}`)).code).toBe(0);

  writeFileSync(config, 'web.listen-adress: 127.0.0.1:8443\n');
  const typo = await nester('token', 'list', `--config.file=${config}`);
  expect(typo.code).toBe(2);
  expect(typo.stderr).toContain('unknown key web.listen-adress; did you mean --web.listen-address?');
});

test('help and mistakes: --help exits 0, a typo exits 2 with a suggestion', async () => {
  const help = await nester('serve', '--help');
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('--web.allowed-origins');
  const typo = await nester('serve', '--web.alowed-origins=x');
  expect(typo.code).toBe(2);
  expect(typo.stderr).toContain('did you mean --web.allowed-origins?');
  const unknown = await nester('tokens');
  expect(unknown.code).toBe(2);
  const badOrigin = await nester('serve', '--web.allowed-origins=grafana.example.com');
  expect(badOrigin.stderr).toContain('--web.allowed-origins');
});

test('--version and check-config: a valid file passes, a bad one exits 2 saying why, nothing starts', async () => {
  expect((await nester('--version')).stdout).toMatch(/^nester \d+\.\d+\.\d+\S*\n$/);
  const config = join(dataDir, 'nester.yml');
  writeFileSync(config, 'public-url: https://nester.example.com\nweb.allowed-origins: [https://grafana.example.com]\n');
  const ok = await nester('check-config', `--config.file=${config}`);
  expect({ code: ok.code, stdout: ok.stdout }).toEqual({ code: 0, stdout: `nester: configuration OK (${config})\n` });
  for (const [text, message] of [
    ['public-url: nester.example.com\n', '--public-url must be an http(s) URL'],
    ['web.tls-cert: /nonexistent/cert.pem\n', '--web.tls-cert and --web.tls-key go together'],
    ['relay.max-sessions-per-user: 0\n', '--relay.max-sessions-per-user must be a positive integer'],
  ]) {
    writeFileSync(config, text);
    const bad = await nester('check-config', `--config.file=${config}`);
    expect({ text, code: bad.code, stdout: bad.stdout }).toEqual({ text, code: 2, stdout: '' });
    expect(bad.stderr).toContain(message);
  }
});

test('a nester killed with SIGKILL mid-session leaves a playable recording and a closed audit row after restart', async () => {
  const port = await freePort();
  const serve = () => {
    const service = startService(
      'nester',
      process.execPath,
      [
        NESTER,
        'serve',
        `--web.listen-address=127.0.0.1:${port}`,
        `--data-dir=${dataDir}`,
        `--web.allowed-origins=${GRAFANA_ORIGIN}`,
      ],
      {
        DATABASE_URL: database.url,
      },
    );
    running.push(service);
    return service;
  };
  const server = serve();
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => (await fetch(`${url}/healthz`)).ok, 'nester to listen');
  const apiToken = (await nester('api-token', 'create')).stdout.trim();
  const enrolment = (await nester('token', 'create')).stdout.trim();
  const stateDir = join(dataDir, 'agent-state');
  await enrol(url, enrolment, stateDir);
  const agent = spawnHarvester(stateDir, { terminal: true, args: ['--remote.terminal-shell=/bin/sh'] });
  running.push(agent);
  const harvesterId = JSON.parse(readFileSync(join(stateDir, 'nester.json'), 'utf8')).harvesterId;
  const headers = {
    authorization: `Bearer ${apiToken}`,
    'x-grafana-user': 'carol',
    'content-type': 'application/json',
  };
  const issued = await eventually(async () => {
    const response = await fetch(`${url}/api/v1/sessions/terminal`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ harvesterId }),
    });
    return (
      response.status === 201 &&
      ((await response.json()) as { sessionId: string; ticket: string; websocketUrl: string })
    );
  }, 'a session ticket once the agent is online');

  const ws = new WebSocket(issued.websocketUrl, { headers: { origin: GRAFANA_ORIGIN } });
  let seen = '';
  ws.on('message', (data, binary) => binary && (seen += messageText(data)));
  ws.once('open', () => {
    ws.send(JSON.stringify({ type: 'hello', ticket: issued.ticket }));
    ws.send(Buffer.from('echo "before the crash: $((20+22)) é"\r'), { binary: true });
  });
  await eventually(() => seen.includes('before the crash: 42 é'), 'output to arrive');
  await server.stop('SIGKILL');

  const castDir = join(dataDir, 'recordings', harvesterId);
  const lines = readFileSync(join(castDir, readdirSync(castDir)[0]), 'utf8')
    .split('\n')
    .filter(Boolean);
  const [header, ...events] = lines.map((line) => JSON.parse(line));
  expect(header).toMatchObject({ version: 2, width: 80, height: 24 });
  expect(events.map((e) => e[2]).join('')).toContain('before the crash: 42 é');

  serve();
  await eventually(async () => (await fetch(`${url}/healthz`)).ok, 'nester to come back');
  const sessions = (await (await fetch(`${url}/api/v1/sessions?harvesterId=${harvesterId}`, { headers })).json()) as {
    sessions: Record<string, unknown>[];
  };
  expect(sessions.sessions[0]).toMatchObject({
    id: issued.sessionId,
    user: 'carol',
    endReason: 'nester restarted',
    recording: true,
  });
  const recording = await fetch(`${url}/api/v1/recordings/${issued.sessionId}`, { headers });
  expect(recording.headers.get('content-type')).toBe('application/x-asciicast');
  expect(await recording.text()).toContain('before the crash: 42');
  ws.terminate();
}, 60_000);
