/** @jest-environment node */
import { seeded } from '@nester/testing/random';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ProvisioningError } from './provisioning';
import { readProvisioningDir } from './provisioningDir';
import { Sandbox, startSandbox } from './server';
import { signIn } from './testing';

// The repository's provisioning directory (what Ansible installs and npm start uses), read as
// Grafana reads it, and the dashboard API that serves what it provisions.
const REPO = path.join(__dirname, '..', '..', '..');
const PROVISIONING = path.join(REPO, 'provisioning');
const PLUGINS = [path.join(REPO, 'grafana-plugins', 'src'), path.join(REPO, 'datasource-timescale', 'plugin', 'src')];

const ENV = {
  NESTER_URL: 'http://nester.test:8080',
  NESTER_API_TOKEN: 'the-api-token',
  ADAPTER_URL: 'http://adapter.test:9201',
  ADAPTER_READ_TOKEN: 'the-read-token',
};

let tmp: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-provisioning-'));
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A provisioning directory of the given files (relative path → text). */
function dir(files: Record<string, string>): string {
  const root = path.join(tmp, 'provisioning');
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe("the repository's provisioning directory", () => {
  test('the app enabled with its settings, secrets and all from the environment', () => {
    const { apps } = readProvisioningDir(PROVISIONING, ENV);
    expect(apps).toEqual({
      'nester-fleet-app': {
        enabled: true,
        pinned: true,
        jsonData: {
          nesterUrl: 'http://nester.test:8080',
          websocketUrl: '',
          enrollUrl: '',
          metricsDatasourceUid: 'nester-metrics',
        },
        secureJsonData: { apiToken: 'the-api-token' },
      },
    });
  });

  test('the metrics datasources, read-only, with the URL and read token from the environment', () => {
    const { datasources } = readProvisioningDir(PROVISIONING, ENV);
    expect(datasources).toEqual([
      // The same adapter through Grafana's built-in Prometheus datasource: the token in its header.
      expect.objectContaining({
        name: 'Fleet metrics (Prometheus)',
        type: 'prometheus',
        uid: 'nester-prometheus',
        url: 'http://adapter.test:9201',
        jsonData: expect.objectContaining({ httpHeaderName1: 'Authorization' }),
        secureJsonData: { httpHeaderValue1: 'Bearer the-read-token' },
        readOnly: true,
      }),
      expect.objectContaining({
        name: 'Fleet metrics',
        type: 'nester-timescale-datasource',
        uid: 'nester-metrics',
        url: 'http://adapter.test:9201',
        secureJsonData: { readToken: 'the-read-token' },
        readOnly: true,
      }),
    ]);
  });

  test("the dashboards from the provider's folder ($GF_PATHS_PROVISIONING is the directory read)", () => {
    const { dashboards } = readProvisioningDir(PROVISIONING, ENV);
    expect(dashboards.map(({ uid, title, folder, file }) => ({ uid, title, folder, file }))).toEqual([
      {
        uid: 'nester-fleet-overview',
        title: 'Fleet overview',
        folder: 'Nester',
        file: path.join(PROVISIONING, 'dashboards', 'nester', 'fleet-overview.json'),
      },
      {
        uid: 'nester-harvester',
        title: 'Harvester',
        folder: 'Nester',
        file: path.join(PROVISIONING, 'dashboards', 'nester', 'harvester.json'),
      },
    ]);
  });
});

describe('the sandbox started with it', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = await startSandbox({
      pluginRoots: PLUGINS,
      shellDir: tmp,
      dataDir: tmp,
      provisioningDir: PROVISIONING,
      env: ENV,
      defaultUser: { login: 'admin', role: 'Admin' },
    });
  });

  afterEach(() => sandbox.close());

  test('the app is enabled with its settings; its secret is stored, never sent back', async () => {
    const cookie = await signIn(sandbox.url, 'vera', 'Viewer');
    const settings = await (
      await fetch(`${sandbox.url}api/plugins/nester-fleet-app/settings`, { headers: { cookie } })
    ).json();
    expect(settings).toMatchObject({
      enabled: true,
      jsonData: { nesterUrl: 'http://nester.test:8080', metricsDatasourceUid: 'nester-metrics' },
      secureJsonFields: { apiToken: true },
    });
    expect(JSON.stringify(settings)).not.toContain('the-api-token');
  });

  test('search lists the dashboards; each is served by uid, read-only; an unknown uid is a 404', async () => {
    const hits = await (await fetch(`${sandbox.url}api/search?type=dash-db`)).json();
    expect(hits).toEqual([
      expect.objectContaining({ uid: 'nester-fleet-overview', url: '/d/nester-fleet-overview/fleet-overview' }),
      expect.objectContaining({ uid: 'nester-harvester', url: '/d/nester-harvester/harvester', folderTitle: 'Nester' }),
    ]);
    expect(await (await fetch(`${sandbox.url}api/search?query=harv`)).json()).toHaveLength(1);

    const answer = await fetch(`${sandbox.url}api/dashboards/uid/nester-harvester`);
    expect(answer.status).toBe(200);
    const { dashboard, meta } = await answer.json();
    const onDisk = JSON.parse(
      fs.readFileSync(path.join(PROVISIONING, 'dashboards', 'nester', 'harvester.json'), 'utf8'),
    );
    expect(dashboard).toEqual(onDisk);
    expect(meta).toMatchObject({ provisioned: true, canSave: false, folderTitle: 'Nester', slug: 'harvester' });

    const missing = await fetch(`${sandbox.url}api/dashboards/uid/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Dashboard not found' });
    const save = await fetch(`${sandbox.url}api/dashboards/uid/nester-harvester`, { method: 'POST' });
    expect(save.status).toBe(403);
  });

  test('fuzzed search queries and uids get a 200, 400 or 404, never a 500; the server still serves', async () => {
    const random = seeded(1515);
    const alphabet = 'abc-_/%?#&=.\\"\'<>{}[]$ é\u0000\uFFFF0123456789';
    for (let i = 0; i < 200; i++) {
      const text = random.string(random.between(0, 30), alphabet);
      const target = random.chance(0.5)
        ? `api/search?query=${encodeURIComponent(text)}&type=${encodeURIComponent(random.pick(['dash-db', text]))}`
        : `api/dashboards/uid/${random.chance(0.5) ? encodeURIComponent(text) : text.replace(/[#?]/g, '')}`;
      const response = await fetch(`${sandbox.url}${target}`);
      expect({ target, status: [200, 400, 404].includes(response.status) }).toEqual({ target, status: true });
      await response.arrayBuffer();
    }
    expect((await fetch(`${sandbox.url}api/dashboards/uid/nester-fleet-overview`)).status).toBe(200);
  });
});

describe('what Grafana would refuse is refused with the file and what to do', () => {
  test.each([
    [
      'plugins/app.yaml',
      'apiVersion: 1\napps:\n  - org_id: 1\n',
      /apps\[0\]: "type" \(the app's plugin id\) is required/,
    ],
    ['plugins/app.yaml', 'apiVersion: 1\napps:\n  - type: x\n    org_id: 2\n', /org_id 2: the sandbox has one org, 1/],
    ['plugins/app.yaml', 'apiVersion: 1\napps: 3\n', /"apps" must be a list of mappings/],
    ['plugins/app.yaml', 'apiVersion: 1\napps:\n  - type: x\n    jsonData: [1]\n', /"jsonData" must be a mapping/],
    ['plugins/app.yaml', 'apps: [\n', /not valid YAML/],
    ['dashboards/d.yaml', 'apiVersion: 1\nproviders:\n  - name: x\n    type: sql\n', /only "file" providers exist/],
    [
      'dashboards/d.yaml',
      'apiVersion: 1\nproviders:\n  - name: x\n',
      /"options.path" \(the dashboards' folder\) is required/,
    ],
    [
      'dashboards/d.yaml',
      'apiVersion: 1\nproviders:\n  - name: x\n    options: { path: $UNSET_DASHBOARDS/x }\n',
      /options.path \/x is not a folder \(is its \$VAR set\?\)/,
    ],
  ])('%s: %j', (file, text, message) => {
    const root = dir({ [file]: text });
    expect(() => readProvisioningDir(root, {})).toThrow(ProvisioningError);
    expect(() => readProvisioningDir(root, {})).toThrow(message);
  });

  test('a dashboard file that is not a dashboard, and a uid provisioned twice', () => {
    const provider = 'apiVersion: 1\nproviders:\n  - name: x\n    options: { path: $GF_PATHS_PROVISIONING/json }\n';
    const broken = dir({ 'dashboards/x.yaml': provider, 'json/a.json': '{"panels": []}' });
    expect(() => readProvisioningDir(broken, {})).toThrow(/a.json: a dashboard needs a "title" and a "panels" list/);
    fs.rmSync(broken, { recursive: true });
    const twice = dir({
      'dashboards/x.yaml': provider,
      'json/a.json': '{"uid": "same", "title": "A", "panels": []}',
      'json/sub/b.json': '{"uid": "same", "title": "B", "panels": []}',
    });
    expect(() => readProvisioningDir(twice, {})).toThrow(/dashboard uid same is provisioned twice/);
  });

  test('a directory that is not there', () => {
    expect(() => readProvisioningDir(path.join(tmp, 'none'), {})).toThrow(/--provisioning .*none: not a directory/);
  });

  test('mutated provisioning files are read or refused with a ProvisioningError, nothing else', () => {
    const random = seeded(15);
    const originals = [
      'plugins/nester-fleet-app.yaml',
      'datasources/nester-timescale.yaml',
      'dashboards/nester.yaml',
    ].map((file) => [file, fs.readFileSync(path.join(PROVISIONING, file), 'utf8')] as const);
    const noise = ':-[]{}\n  #$&*!|>\'"\t\u0000x1';
    for (let round = 0; round < 150; round++) {
      const files: Record<string, string> = {};
      for (const [file, text] of originals) {
        let mutated = text;
        for (let edits = random.between(0, 4); edits > 0; edits--) {
          const at = random.int(mutated.length + 1);
          mutated = random.chance(0.5)
            ? mutated.slice(0, at) + random.string(random.between(1, 4), noise) + mutated.slice(at)
            : mutated.slice(0, at) + mutated.slice(at + random.between(1, 20));
        }
        files[file] = mutated;
      }
      const root = dir(files);
      fs.cpSync(path.join(PROVISIONING, 'dashboards', 'nester'), path.join(root, 'dashboards', 'nester'), {
        recursive: true,
      });
      try {
        readProvisioningDir(root, ENV);
      } catch (err) {
        expect({ round, error: err instanceof ProvisioningError ? 'ProvisioningError' : String(err) }).toEqual({
          round,
          error: 'ProvisioningError',
        });
      }
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
