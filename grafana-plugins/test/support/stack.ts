// The real stack for end-to-end tests: PostgreSQL (the jest global setup's cluster), the nester
// binary, a harvester agent enrolled against it, Xvfb + x11vnc as the machine's desktop (unless
// left out), and the sandbox standing in for Grafana with ID forwarding that nester verifies.
import { createTestDatabase, TestDatabase } from '@nester/testing/database';
import { Service, eventually, freePort, startService, waitForHttp } from '@nester/testing/services';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { EnrolledHarvester, startEnrolledHarvester } from '@nester/testing/harvester';
import { Desktop, startDesktop } from '@nester/testing/desktop';
import { Sandbox, SandboxOptions } from '@nester/sandbox/server/server';
import { startTestSandbox } from './sandbox';

const NESTER = path.resolve(__dirname, '..', '..', '..', 'nester', 'bin', 'nester.js');
const INSTALL_SH = path.resolve(__dirname, '..', '..', '..', 'scripts', 'release', 'files', 'install.sh');
/** The harvester release the stack's nester serves: newer than the agent it runs. */
export const RELEASE_VERSION = '9.9.9';

export interface StackOptions {
  /** Xvfb + x11vnc as the harvester's desktop (default true). */
  desktop?: boolean;
  /** More flags for the harvester agent, e.g. --push.url and its collectors. */
  agentArgs?: string[];
  /** More sandbox options, e.g. provisioned datasources. */
  sandbox?: Partial<SandboxOptions>;
  /** More of the app's jsonData, e.g. metricsDatasourceUid. */
  appJsonData?: Record<string, unknown>;
  /**
   * Sandbox options that need nester's URL and API token, known before the sandbox starts (e.g.
   * a provisioning directory whose environment names them). With `appProvisioned`, the stack
   * leaves the app's settings to them instead of saving its own.
   */
  sandboxFor?: (nester: { url: string; apiToken: string }) => Partial<SandboxOptions>;
  appProvisioned?: boolean;
}

export interface Stack {
  sandbox: Sandbox;
  nesterUrl: string;
  desktop?: Desktop;
  harvesterId: string;
  hostname: string;
  /** nester's API as Grafana's proxy calls it. */
  api(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err) => console.error(`stack cleanup: ${err}`));
    }
  };
  let nester: Service | undefined;
  try {
    const database: TestDatabase = await createTestDatabase('gpe2e');
    cleanups.push(() => database.drop());
    const desktop = options.desktop === false ? undefined : await startDesktop(320, 200);
    if (desktop) {
      cleanups.push(() => desktop.stop());
    }
    const { stdout } = await promisify(execFile)(process.execPath, [
      NESTER,
      'api-token',
      'create',
      `--db.url=${database.url}`,
      '--description=grafana sandbox e2e',
      '--output=json',
      '--log.level=error',
    ]);
    const apiToken: string = JSON.parse(stdout).token;
    const port = await freePort();
    const nesterUrl = `http://127.0.0.1:${port}`;

    const sandbox = await startTestSandbox({
      idForwarding: true,
      defaultUser: { login: 'admin', role: 'Admin' },
      ...options.sandbox,
      ...options.sandboxFor?.({ url: nesterUrl, apiToken }),
    });
    cleanups.push(() => sandbox.close());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nester-e2e-'));
    cleanups.push(() => fs.promises.rm(dataDir, { recursive: true, force: true }));
    // A release newer than the running agent, as `npm run release` lays it out: install.sh and an
    // archive with its checksum (its bytes do not matter here: nothing installs it).
    const releasesDir = path.join(dataDir, 'releases');
    fs.mkdirSync(releasesDir);
    const archive = `harvester-${RELEASE_VERSION}-linux-x64.tar.gz`;
    fs.writeFileSync(path.join(releasesDir, archive), 'not a real archive');
    const sha256 = crypto.createHash('sha256').update('not a real archive').digest('hex');
    fs.writeFileSync(path.join(releasesDir, `${archive}.sha256`), `${sha256}  ${archive}\n`);
    fs.copyFileSync(INSTALL_SH, path.join(releasesDir, 'install.sh'));
    const origin = sandbox.url.replace(/\/$/, '');
    nester = startService('nester', process.execPath, [
      NESTER,
      'serve',
      `--db.url=${database.url}`,
      `--data-dir=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--public-url=${nesterUrl}`,
      `--releases.dir=${releasesDir}`,
      `--web.allowed-origins=${origin}`,
      `--grafana.url=${sandbox.url}`,
      `--grafana.jwks-url=${sandbox.url}api/signing-keys/keys`,
      '--agent.heartbeat-interval=1s',
      '--log.level=warn',
    ]);
    const service = nester;
    cleanups.push(() => service.stop());
    await waitForHttp(nester, `${nesterUrl}/api/v1/harvesters`, { accept: (status) => status === 401 });

    // The app as an administrator would set it up on its configuration page.
    const admin = await fetch(`${sandbox.url}sandbox/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', role: 'Admin' }),
    });
    const cookie = admin.headers.get('set-cookie')!.split(';')[0];
    if (!options.appProvisioned) {
      const saved = await fetch(`${sandbox.url}api/plugins/nester-fleet-app/settings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({
          enabled: true,
          pinned: true,
          jsonData: { nesterUrl, ...options.appJsonData },
          secureJsonData: { apiToken },
        }),
      });
      if (!saved.ok) {
        throw new Error(`could not configure the app: ${saved.status}`);
      }
    }

    // nester's API as the app calls it: through the plugin proxy as the admin, which adds the API
    // token and a signed X-Grafana-Id (nester runs with --grafana.jwks-url and wants both).
    const api = async (method: string, apiPath: string, body?: unknown) => {
      const response = await fetch(`${sandbox.url}api/plugin-proxy/nester-fleet-app${apiPath}`, {
        method,
        headers: {
          cookie,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text,
      };
    };

    const enrolment = await promisify(execFile)(process.execPath, [
      NESTER,
      'token',
      'create',
      `--db.url=${database.url}`,
      '--description=e2e harvester',
      '--output=json',
      '--log.level=error',
    ]);
    const agent: EnrolledHarvester = await startEnrolledHarvester(nesterUrl, JSON.parse(enrolment.stdout).token, {
      vncPort: desktop?.vncPort,
      terminal: true,
      args: options.agentArgs,
    });
    cleanups.push(() => agent.stop());
    // Online is not enough: its capabilities come with the facts, which nester stores in batches.
    const online = await eventually(async () => {
      const { body } = await api('GET', `/api/v1/harvesters/${agent.harvesterId}`);
      const ready = body.status === 'online' && body.capabilities?.terminal && (!desktop || body.capabilities.vnc);
      return ready ? body : undefined;
    }, 'the harvester to come online').catch((err) => {
      throw new Error(`${err.message}\nagent:\n${agent.service.output()}\nnester:\n${service.output()}`);
    });
    return { sandbox, nesterUrl, desktop, harvesterId: online.id, hostname: online.hostname, api, stop };
  } catch (err) {
    if (nester) {
      console.error(`nester output:\n${nester.output()}`);
    }
    await stop();
    throw err;
  }
}
