/** @jest-environment node */
import { createPublicKey, verify } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { Sandbox, startSandbox } from './server';
import { RecordingUpstream, signIn as signInTo, startRecordingUpstream } from './testing';

// The app's real plugin.json (routes and all), served from src/ as a plugin directory.
const PLUGIN_DIR = path.join(__dirname, '..', '..', 'src');

let upstream: RecordingUpstream;
let upstreamUrl: string;
let seen: RecordingUpstream['seen'];
let sandbox: Sandbox;
let dataDir: string;

beforeAll(async () => {
  upstream = await startRecordingUpstream((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': 'leak=1' });
    res.end(JSON.stringify({ harvesters: [] }));
  });
  ({ url: upstreamUrl, seen } = upstream);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-test-'));
  sandbox = await startSandbox({
    pluginRoots: [PLUGIN_DIR],
    shellDir: dataDir,
    dataDir,
    idForwarding: true,
    defaultUser: { login: 'viewer', role: 'Viewer' },
    provision: {
      'nester-fleet-app': {
        enabled: true,
        jsonData: { nesterUrl: upstreamUrl },
        secureJsonData: { apiToken: 'api-secret' },
      },
    },
  });
});

afterAll(async () => {
  await sandbox?.close();
  await upstream?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
});

const signIn = (login: string, role: string) => signInTo(sandbox.url, login, role);

function call(pathname: string, init: RequestInit & { cookie?: string } = {}) {
  return fetch(`${sandbox.url}${pathname.replace(/^\//, '')}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), ...(init.cookie ? { cookie: init.cookie } : {}) },
  });
}

test('a Viewer listing harvesters is proxied with the API token added server-side and who they are', async () => {
  const response = await call('/api/plugin-proxy/nester-fleet-app/api/v1/harvesters?status=online', {
    headers: { 'X-Grafana-User': 'spoofed', cookie: 'grafana_session=abc' },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('set-cookie')).toBeNull();
  expect(seen).toHaveLength(1);
  expect(seen[0]).toMatchObject({ method: 'GET', url: '/api/v1/harvesters?status=online' });
  expect(seen[0].headers).toMatchObject({ authorization: 'Bearer api-secret', 'x-grafana-user': 'viewer' });
  expect(seen[0].headers.cookie).toBeUndefined();
});

test('the X-Grafana-Id token is an ES256 JWT that verifies with the JWKS and names the user', async () => {
  await call('/api/plugin-proxy/nester-fleet-app/api/v1/harvesters');
  const token = String(seen[0].headers['x-grafana-id']);
  const [header, payload, signature] = token.split('.');
  const decoded = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString());
  const jwks = await (await call('/api/signing-keys/keys')).json();
  const jwk = jwks.keys.find((key: { kid: string }) => key.kid === decoded(header).kid);
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const ok = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  expect(ok).toBe(true);
  expect(decoded(header)).toMatchObject({ alg: 'ES256', typ: 'jwt' });
  expect(decoded(payload)).toMatchObject({
    iss: sandbox.url,
    aud: ['org:1'],
    username: 'viewer',
    sub: expect.stringMatching(/^user:/),
  });
  expect(decoded(payload).exp - decoded(payload).iat).toBe(600);
});

test('a Viewer opening a terminal is refused by the route with 403, and nester never hears of it', async () => {
  const response = await call('/api/plugin-proxy/nester-fleet-app/api/v1/sessions/terminal', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  expect(response.status).toBe(403);
  expect(await response.json()).toEqual({ message: 'plugin proxy route access denied' });
  expect(seen).toHaveLength(0);
});

test('an Admin reaches the revoke route, the wildcard remainder appended, the body passed on', async () => {
  const cookie = await signIn('root', 'Admin');
  const response = await call('/api/plugin-proxy/nester-fleet-app/api/v1/harvesters/h_1/revoke', {
    method: 'POST',
    cookie,
    headers: { 'Content-Type': 'application/json' },
    body: '{"why":"lost"}',
  });
  expect(response.status).toBe(200);
  expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/v1/harvesters/h_1/revoke', body: '{"why":"lost"}' });
  expect(seen[0].headers['x-grafana-user']).toBe('root');
});

test('the wildcard remainder is decoded and forwarded with its dot segments, as Grafana does', async () => {
  // A Viewer route's remainder cannot be resolved into another route here: the upstream (nester)
  // receives the `..` and refuses it.
  const response = await call('/api/plugin-proxy/nester-fleet-app/api/v1/harvesters/..%2Frecordings%2Fs 1');
  expect(response.status).toBe(200);
  expect(seen[0].url).toBe('/api/v1/harvesters/../recordings/s%201');
  expect((await call('/api/plugin-proxy/nester-fleet-app/api/v1/harvesters/%ZZ')).status).toBe(400);
});

test('a path or method no route names is 404, as in Grafana', async () => {
  const cookie = await signIn('root', 'Admin');
  expect((await call('/api/plugin-proxy/nester-fleet-app/api/v1/secrets', { cookie })).status).toBe(404);
  expect(
    (await call('/api/plugin-proxy/nester-fleet-app/api/v1/harvesters/h_1', { cookie, method: 'PUT' })).status,
  ).toBe(404);
  expect(seen).toHaveLength(0);
});

test('a tampered session cookie is not trusted', async () => {
  const cookie = await signIn('root', 'Admin');
  const [name, value] = cookie.split('=');
  const [, mac] = value.split('.');
  const forged = `${name}=${Buffer.from(JSON.stringify({ login: 'mallory', role: 'Admin' })).toString('base64url')}.${mac}`;
  await call('/api/plugin-proxy/nester-fleet-app/api/v1/harvesters', { cookie: forged });
  expect(seen[0].headers['x-grafana-user']).toBe('viewer');
});

test('plugin settings: only admins change them, secrets are never read back, and the file is private', async () => {
  const update = { enabled: true, jsonData: { nesterUrl: upstreamUrl }, secureJsonData: { apiToken: 'rotated' } };
  const asViewer = await call('/api/plugins/nester-fleet-app/settings', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(update),
  });
  expect(asViewer.status).toBe(403);
  const cookie = await signIn('root', 'Admin');
  const asAdmin = await call('/api/plugins/nester-fleet-app/settings', {
    method: 'POST',
    cookie,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(update),
  });
  expect(asAdmin.status).toBe(200);
  const settings = await (await call('/api/plugins/nester-fleet-app/settings')).json();
  expect(settings).toMatchObject({ enabled: true, jsonData: update.jsonData, secureJsonFields: { apiToken: true } });
  expect(JSON.stringify(settings)).not.toContain('rotated');
  expect(fs.statSync(path.join(dataDir, 'plugin-settings.json')).mode & 0o777).toBe(0o600);
  await call('/api/plugin-proxy/nester-fleet-app/api/v1/harvesters');
  expect(seen[0].headers.authorization).toBe('Bearer rotated');
});

test('a secret that is not text is refused, and the stored one kept', async () => {
  const cookie = await signIn('root', 'Admin');
  const post = (secureJsonData: object) =>
    call('/api/plugins/nester-fleet-app/settings', {
      method: 'POST',
      cookie,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ secureJsonData }),
    });
  expect((await post({ apiToken: 'kept' })).status).toBe(200);
  const refused = await post({ apiToken: { token: 'x' } });
  expect(refused.status).toBe(400);
  expect(await refused.json()).toMatchObject({ message: 'secureJsonData.apiToken must be a string' });
  await call('/api/plugin-proxy/nester-fleet-app/api/v1/harvesters');
  expect(seen[0].headers.authorization).toBe('Bearer kept');
});

test('a missing API token reaches nester as Go renders it, "<no value>"', async () => {
  const cookie = await signIn('root', 'Admin');
  await call('/api/plugins/nester-fleet-app/settings', {
    method: 'POST',
    cookie,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ secureJsonData: { apiToken: '' } }),
  });
  await call('/api/plugin-proxy/nester-fleet-app/api/v1/harvesters');
  expect(seen[0].headers.authorization).toBe('Bearer <no value>');
});

test('nested panels are served under the app and are disabled until the app is', async () => {
  const plugins = await (await call('/api/plugins')).json();
  const panel = plugins.find((p: { id: string }) => p.id === 'nester-terminal-panel');
  expect(panel).toMatchObject({
    module: 'public/plugins/nester-fleet-app/panels/terminal/module.js',
    includedInAppId: 'nester-fleet-app',
    enabled: true,
  });
  const logo = await call(`/${panel.info.logos.small}`);
  expect(logo.status).toBe(200);
  expect(logo.headers.get('content-type')).toBe('image/svg+xml');
});

test('files outside a plugin directory are not served', async () => {
  const status = await new Promise<number>((resolve) =>
    http.get(`${sandbox.url}public/plugins/nester-fleet-app/%2e%2e/%2e%2e/package.json`, (res) =>
      resolve(res.statusCode!),
    ),
  );
  expect(status).toBe(404);
});

test('an unreachable nester is a 502 from the proxy', async () => {
  const cookie = await signIn('root', 'Admin');
  await call('/api/plugins/nester-fleet-app/settings', {
    method: 'POST',
    cookie,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonData: { nesterUrl: 'http://127.0.0.1:1' } }),
  });
  const response = await call('/api/plugin-proxy/nester-fleet-app/api/v1/harvesters');
  expect(response.status).toBe(502);
});
