// nester over HTTPS/WSS with a self-signed certificate: agents trust it only through the CA
// file they were given (and the pin, when set); Grafana users come from X-Grafana-Id tokens
// verified against a JWKS.

import { generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createEnrollmentToken } from '../src/store/enrollment-tokens';
import { enrol, spawnHarvester } from '@nester/testing/harvester';
import { eventually, type Service } from '@nester/testing/services';
import { GRAFANA_ORIGIN, startTestNester, type TestNester } from './support/nester';
import { selfSignedCertificate } from '@nester/testing/certificate';

const GRAFANA_URL = 'https://grafana.example.com/';
let dir: string;
let nester: TestNester;
let jwks: Server;
let agent: Service | undefined;
const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nester-tls-'));
  selfSignedCertificate(dir);
  jwks = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        keys: [{ ...signing.publicKey.export({ format: 'jwk' }), kid: 'grafana-1', use: 'sig', alg: 'ES256' }],
      }),
    );
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  nester = await startTestNester({
    tls: { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) },
    grafana: {
      jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/`,
      issuer: GRAFANA_URL,
      audiences: ['org:1'],
      leewaySeconds: 60,
    },
  });
}, 30_000);

afterAll(async () => {
  await agent?.stop();
  await nester?.stop();
  jwks?.close();
  rmSync(dir, { recursive: true, force: true });
});

const httpsUrl = () => `https://127.0.0.1:${nester.nester.port}`;
const ca = () => readFileSync(join(dir, 'cert.pem'));

function idToken(username: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const signed = `${part({ alg: 'ES256', kid: 'grafana-1', typ: 'jwt' })}.${part({ iss: GRAFANA_URL, aud: ['org:1'], sub: 'user:2', username, exp: now + 600, iat: now })}`;
  return `${signed}.${sign('sha256', Buffer.from(signed), { key: signing.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

function post(
  path: string,
  body: unknown,
  headers: Record<string, string>,
  method = 'POST',
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${httpsUrl()}${path}`,
      {
        method,
        ca: ca(),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${nester.apiToken}`, ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

test('agents enrol and connect over TLS only with the CA they were given, and the pin must match', async () => {
  const pin = new X509Certificate(ca()).fingerprint256;
  const wrongPin = 'AB:'.repeat(31) + 'AB';
  const states = ['none', 'wrong', 'good'].map((name) => join(dir, `state-${name}`));
  const token = (await createEnrollmentToken(nester.pool, { maxUses: 5 })).token;
  await expect(enrol(httpsUrl(), token, states[0])).rejects.toThrow(/self-signed certificate/);
  await expect(
    enrol(httpsUrl(), token, states[1], ['--nester-ca', join(dir, 'cert.pem'), '--nester-pin-sha256', wrongPin]),
  ).rejects.toThrow(/does not match the pinned SHA-256/);
  await enrol(httpsUrl(), token, states[2], ['--nester-ca', join(dir, 'cert.pem'), '--nester-pin-sha256', pin]);
  expect(readFileSync(join(states[2], 'nester.json'), 'utf8')).toContain(join(dir, 'cert.pem'));

  agent = spawnHarvester(states[2], { terminal: true, args: ['--remote.terminal-shell=/bin/sh'] });
  const harvesterId = JSON.parse(readFileSync(join(states[2], 'nester.json'), 'utf8')).harvesterId;
  await eventually(() => nester.nester.hub.isOnline(harvesterId), 'the agent to connect over wss');

  // Grafana's user comes from a verified X-Grafana-Id; a bare X-Grafana-User is not enough now.
  expect((await post('/api/v1/sessions/terminal', { harvesterId }, { 'x-grafana-user': 'mallory' })).status).toBe(401);
  const forged = idToken('root').replace(/\.[^.]+$/, '.' + Buffer.alloc(64).toString('base64url'));
  expect((await post('/api/v1/sessions/terminal', { harvesterId }, { 'x-grafana-id': forged })).body.error).toMatch(
    /bad signature/,
  );
  const created = await post('/api/v1/sessions/terminal', { harvesterId }, { 'x-grafana-id': idToken('alice') });
  expect(created.status).toBe(201);
  expect(created.body.websocketUrl).toBe(`wss://127.0.0.1:${nester.nester.port}/ws/session`);

  const ws = new WebSocket(`wss://127.0.0.1:${nester.nester.port}/ws/session`, {
    ca: ca(),
    headers: { origin: GRAFANA_ORIGIN },
  });
  const output: Buffer[] = [];
  ws.on('message', (data, binary) => binary && output.push(data as Buffer));
  ws.once('open', () => {
    ws.send(JSON.stringify({ type: 'hello', ticket: created.body.ticket }));
    ws.send(Buffer.from('echo tls-$((3*3))\r'), { binary: true });
  });
  await eventually(() => Buffer.concat(output).toString().includes('tls-9'), 'a command over wss');
  ws.close(1000);
  const row = await eventually(async () => {
    const { rows } = await nester.pool.query('SELECT user_login, ended_at FROM fleet.sessions WHERE id = $1', [
      created.body.sessionId,
    ]);
    return rows[0]?.ended_at && rows[0];
  }, 'the audit row');
  expect(row.user_login).toBe('alice');
}, 40_000);

test('a pin alone trusts the self-signed certificate it names: kept as the CA, and the agent connects', async () => {
  const pin = new X509Certificate(ca()).fingerprint256;
  const [wrong, good] = ['pin-wrong', 'pin-good'].map((name) => join(dir, `state-${name}`));
  // One use only: the refused attempt must not spend it (the probe sends no request).
  const token = (await createEnrollmentToken(nester.pool, { maxUses: 1 })).token;
  await expect(enrol(httpsUrl(), token, wrong, ['--nester-pin-sha256', 'AB:'.repeat(31) + 'AB'])).rejects.toThrow(
    /does not match the pinned SHA-256/,
  );
  expect(existsSync(wrong)).toBe(false);

  await enrol(httpsUrl(), token, good, ['--nester-pin-sha256', pin.replace(/:/g, '').toLowerCase()]);
  const state = JSON.parse(readFileSync(join(good, 'nester.json'), 'utf8'));
  expect(state.nesterCa).toBe(join(good, 'nester-ca.pem'));
  expect(new X509Certificate(readFileSync(state.nesterCa)).fingerprint256).toBe(pin);
  expect(statSync(state.nesterCa).mode & 0o777).toBe(0o600);

  const pinned = spawnHarvester(good);
  try {
    await eventually(() => nester.nester.hub.isOnline(state.harvesterId), 'the pinned agent to connect over wss');
  } finally {
    await pinned.stop();
  }
}, 40_000);

test('with --grafana.jwks-url every API call needs a valid X-Grafana-Id, reads included', async () => {
  const { rows } = await nester.pool.query(`SELECT id FROM fleet.harvesters LIMIT 1`);
  const paths = [
    '/api/v1/harvesters',
    `/api/v1/harvesters/${rows[0]?.id ?? 'h_0000000000000000'}`,
    '/api/v1/sessions',
    '/api/v1/events',
    '/api/v1/enrollment-tokens',
    '/api/v1/recordings/s_0000000000000000',
  ];
  const forged = idToken('alice').replace(/\.[^.]+$/, '.' + Buffer.alloc(64).toString('base64url'));
  for (const path of paths) {
    const bare = await post(path, undefined, { 'x-grafana-user': 'mallory' }, 'GET');
    expect([path, bare.status, bare.body.error]).toEqual([path, 401, expect.stringMatching(/no X-Grafana-Id/)]);
    expect([path, (await post(path, undefined, { 'x-grafana-id': forged }, 'GET')).status]).toEqual([path, 401]);
    const signed = await post(path, undefined, { 'x-grafana-id': idToken('alice') }, 'GET');
    expect([path, signed.status]).toEqual([path, path.startsWith('/api/v1/recordings/') ? 404 : 200]);
  }
});
