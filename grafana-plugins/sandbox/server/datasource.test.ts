/** @jest-environment node */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chooseDatasourceRoute } from './dsProxy';
import { makeUser } from './identity';
import { parseDatasourceProvisioning } from './provisioning';
import { Sandbox, startSandbox } from './server';
import { RecordingUpstream, signIn as signInTo, startRecordingUpstream } from './testing';

// The datasource plugin's real plugin.json (its proxy route), served from its sources.
const DATASOURCE_PLUGIN = path.join(__dirname, '..', '..', '..', 'datasource-timescale', 'plugin', 'src');

let upstream: RecordingUpstream;
let upstreamUrl: string;
let seen: RecordingUpstream['seen'];
let sandbox: Sandbox;
let dataDir: string;

beforeAll(async () => {
  upstream = await startRecordingUpstream((req, res) => {
    if (req.url!.includes('unauthorized')) {
      res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' });
      res.end('{"status":"error","error":"token not accepted for the read role"}');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': 'leak=1' });
    res.end('{"status":"success","data":[]}');
  });
  ({ url: upstreamUrl, seen } = upstream);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-ds-test-'));
  const provisioning = `apiVersion: 1
datasources:
  - name: Fleet metrics
    type: nester-timescale-datasource
    uid: fleet-metrics
    url: ${upstreamUrl}/prefix/
    isDefault: true
    jsonData: { scrapeInterval: 5s }
    secureJsonData: { readToken: $SANDBOX_TEST_READ_TOKEN }
`;
  sandbox = await startSandbox({
    pluginRoots: [DATASOURCE_PLUGIN],
    shellDir: dataDir,
    dataDir,
    defaultUser: { login: 'vera', role: 'Viewer' },
    datasources: parseDatasourceProvisioning(provisioning, 'fleet.yaml', { SANDBOX_TEST_READ_TOKEN: 'the-read-token' }),
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

const call = (pathname: string, init: RequestInit = {}) => fetch(`${sandbox.url}${pathname.replace(/^\//, '')}`, init);

test('the route adds the read token server-side and keeps the datasource URL and path', async () => {
  const response = await call('/api/datasources/proxy/uid/fleet-metrics/api/v1/labels?match[]=up', {
    headers: { cookie: 'grafana_session=abc', origin: 'http://evil.example', authorization: 'Bearer browser-token' },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('set-cookie')).toBeNull();
  expect(seen).toHaveLength(1);
  expect(seen[0].url).toBe('/prefix/api/v1/labels?match[]=up');
  expect(seen[0].headers.authorization).toBe('Bearer the-read-token');
  expect(seen[0].headers.cookie).toBeUndefined();
  expect(seen[0].headers.origin).toBeUndefined();
  expect(seen[0].headers['x-grafana-user']).toBe('vera');
});

test('paths outside the route go to the datasource URL without the token', async () => {
  await call('/api/datasources/proxy/uid/fleet-metrics/-/healthy');
  expect(seen[0].url).toBe('/prefix/-/healthy');
  expect(seen[0].headers.authorization).toBeUndefined();
});

test('the upstream\'s 401 becomes Grafana\'s 400 "Authentication to data source failed"', async () => {
  const response = await call('/api/datasources/proxy/uid/fleet-metrics/api/v1/unauthorized');
  expect(response.status).toBe(400);
  expect(await response.text()).toBe('Authentication to data source failed');
  expect(response.headers.get('www-authenticate')).toBeNull();
});

test('an unknown datasource is a 404; an unreachable one a 502', async () => {
  expect((await call('/api/datasources/proxy/uid/nope/api/v1/labels')).status).toBe(404);
  const cookie = await signIn('admin', 'Admin');
  const created = await call('/api/datasources', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', cookie },
    body: JSON.stringify({ name: 'Down', type: 'nester-timescale-datasource', url: 'http://127.0.0.1:1' }),
  });
  const { datasource } = await created.json();
  const response = await call(`/api/datasources/proxy/uid/${datasource.uid}/api/v1/labels`);
  expect(response.status).toBe(502);
});

test('frontend settings give the proxy URL and the plugin meta, never secrets', async () => {
  const settings = await (await call('/api/frontend/settings')).json();
  const fleet = settings.datasources['Fleet metrics'];
  expect(fleet).toMatchObject({
    uid: 'fleet-metrics',
    type: 'nester-timescale-datasource',
    url: '/api/datasources/proxy/uid/fleet-metrics',
    access: 'proxy',
    jsonData: { scrapeInterval: '5s' },
    meta: {
      id: 'nester-timescale-datasource',
      metrics: true,
      module: 'public/plugins/nester-timescale-datasource/module.js',
    },
  });
  expect(settings.defaultDatasource).toBe('Fleet metrics');
  expect(JSON.stringify(settings)).not.toContain('the-read-token');
});

test('only admins read or change datasource settings; secrets are reported, not returned', async () => {
  expect((await call('/api/datasources/uid/fleet-metrics')).status).toBe(403);
  const cookie = await signIn('admin', 'Admin');
  const dto = await (await call('/api/datasources/uid/fleet-metrics', { headers: { cookie } })).json();
  expect(dto).toMatchObject({ uid: 'fleet-metrics', readOnly: true, secureJsonFields: { readToken: true } });
  expect(JSON.stringify(dto)).not.toContain('the-read-token');
  const put = await call('/api/datasources/uid/fleet-metrics', {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', cookie },
    body: JSON.stringify({ url: 'http://elsewhere' }),
  });
  expect(put.status).toBe(403);
  expect((await put.json()).message).toMatch(/read-only/);

  const stored = path.join(dataDir, 'datasources.json');
  expect(fs.statSync(stored).mode & 0o777).toBe(0o600);
});

test('an admin creates and edits a datasource as Grafana’s settings page does', async () => {
  const cookie = await signIn('admin', 'Admin');
  const headers = { 'Content-Type': 'application/json', cookie };
  const bad = await call('/api/datasources', {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'X', type: 'influxdb' }), // no such plugin installed (prometheus is built in)
  });
  expect(bad.status).toBe(400);
  const created = await (
    await call('/api/datasources', {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Scratch', type: 'nester-timescale-datasource', access: 'proxy' }),
    })
  ).json();
  const uid = created.datasource.uid;
  const updated = await call(`/api/datasources/uid/${uid}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ url: upstreamUrl, jsonData: {}, secureJsonData: { readToken: 'second-token' } }),
  });
  expect((await updated.json()).datasource.secureJsonFields).toEqual({ readToken: true });
  await call(`/api/datasources/proxy/uid/${uid}/api/v1/status`);
  expect(seen[0]).toMatchObject({ url: '/api/v1/status', headers: { authorization: 'Bearer second-token' } });
  // An empty secret clears it: Grafana's template then renders "<no value>".
  await call(`/api/datasources/uid/${uid}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ secureJsonData: { readToken: '' } }),
  });
  await call(`/api/datasources/proxy/uid/${uid}/api/v1/status`);
  expect(seen[1].headers.authorization).toBe('Bearer <no value>'); // A secret must be text: a list is refused, not stored as its joined items.
  const refused = await call(`/api/datasources/uid/${uid}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ secureJsonData: { readToken: ['a', 'b'] } }),
  });
  expect(refused.status).toBe(400);
  expect((await (await call(`/api/datasources/uid/${uid}`, { headers })).json()).secureJsonFields).toEqual({});
});

test("routes match by method and plain path prefix, and a role below reqRole is refused (Grafana's DS proxy)", () => {
  const routes = [{ path: 'api/v1/admin', reqRole: 'Admin' }, { path: 'api/v1/', method: 'GET' }, { path: 'api/v1/' }];
  const viewer = makeUser('v', 'Viewer');
  expect(chooseDatasourceRoute(routes, 'GET', 'api/v1/labels', viewer).route).toBe(routes[1]);
  expect(chooseDatasourceRoute(routes, 'POST', 'api/v1/ds/query', viewer).route).toBe(routes[2]);
  expect(chooseDatasourceRoute(routes, 'GET', 'api/v1/admin/x', viewer)).toEqual({ route: routes[0], denied: true });
  expect(chooseDatasourceRoute(routes, 'GET', 'api/v2/x', viewer)).toEqual({});
});

test('provisioning files: $VAR and ${VAR} from the environment, $$ for a dollar, clear errors', () => {
  const [ds] = parseDatasourceProvisioning(
    'apiVersion: 1\ndatasources:\n  - {name: A, type: t, url: "http://${HOST}:9201", secureJsonData: {readToken: "$$x$TOKEN"}, editable: true}',
    'a.yaml',
    { HOST: 'adapter', TOKEN: 'secret' },
  );
  expect(ds).toMatchObject({ url: 'http://adapter:9201', secureJsonData: { readToken: '$xsecret' }, readOnly: false });
  expect(() => parseDatasourceProvisioning('datasources: [{type: t}]', 'b.yaml')).toThrow(
    /b.yaml: datasources\[0\]: "name" is required/,
  );
  expect(() => parseDatasourceProvisioning('{', 'c.json')).toThrow(/c.json: not valid JSON/);
});
