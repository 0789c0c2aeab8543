#!/usr/bin/env node
/* global console */
// `npm start`: the whole Nester stack on this machine, in the sandbox standing in for Grafana.
//   timescale-adapter :9201 (embedded PostgreSQL)  ← harvester :9100 pushes its metrics
//   nester :8080 (embedded PostgreSQL)             ← harvester dials out for remote access
//   Xvfb + x11vnc on loopback (when installed)     ← the desktop the harvester serves
//   sandbox :3000                                  → provisioned from provisioning/ as Grafana would be:
//                                                    the fleet app, the metrics datasource, the dashboards
// State lives in $NESTER_DEMO_DIR (default /tmp/nester-demo-<uid>) and survives restarts.
// Ctrl-C stops everything.
const { execFileSync, spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const repo = path.resolve(__dirname, '..');
const bin = {
  adapter: path.join(repo, 'datasource-timescale', 'bin', 'timescale-adapter.js'),
  nester: path.join(repo, 'nester', 'bin', 'nester.js'),
  harvester: path.join(repo, 'agent', 'bin', 'harvester.js'),
  sandbox: path.join(repo, 'grafana-plugins', 'sandbox', 'bin', 'sandbox.js'),
};
// The files Ansible installs into Grafana; the demo's sandbox reads the same ones.
const provisioning = path.join(repo, 'provisioning');
const dir = process.env.NESTER_DEMO_DIR || path.join(os.tmpdir(), `nester-demo-${process.getuid?.() ?? 'user'}`);
const ports = { sandbox: 3000, nester: 8080, agent: 9100, adapter: 9201 };
const url = (port) => `http://127.0.0.1:${port}`;
const children = [];

function step(text) {
  console.log(`• ${text}`);
}

function secretFile(name) {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) fs.writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  return file;
}

function start(name, command, args, env = {}) {
  const log = fs.openSync(path.join(dir, 'logs', `${name}.log`), 'a');
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`✗ ${name} exited (${signal ?? code}); see ${path.join(dir, 'logs', `${name}.log`)}`);
  });
  children.push({ name, child });
  return child;
}

async function waitFor(name, probe, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`${name} did not come up within ${timeoutMs / 1000} s; see ${path.join(dir, 'logs')}`);
}

const answers =
  (address, ok = (status) => status < 500) =>
  () =>
    fetch(address).then((res) => ok(res.status));

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function run(command, args) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function has(program) {
  return spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
}

/** A desktop for the remote desktop panel: Xvfb with x11vnc on loopback, when both are installed. */
async function startDesktop() {
  if (!has('Xvfb') || !has('x11vnc')) {
    step('Xvfb or x11vnc not installed: no desktop (apt-get install xvfb x11vnc to see one)');
    return undefined;
  }
  let display = 70;
  while (fs.existsSync(`/tmp/.X11-unix/X${display}`) || fs.existsSync(`/tmp/.X${display}-lock`)) display++;
  start('xvfb', 'Xvfb', [`:${display}`, '-screen', '0', '1280x800x24', '-nolisten', 'tcp']);
  await waitFor('Xvfb', async () => fs.existsSync(`/tmp/.X11-unix/X${display}`), 10_000);
  const env = { DISPLAY: `:${display}` };
  if (has('xmessage'))
    start('xmessage', 'xmessage', ['-center', 'This desktop is served by the Nester demo harvester.'], env);
  let vncPort = 5900;
  while (!(await portFree(vncPort))) vncPort++;
  start('x11vnc', 'x11vnc', [
    '-display',
    `:${display}`,
    '-localhost',
    '-rfbport',
    String(vncPort),
    '-forever',
    '-shared',
    '-nopw',
    '-quiet',
  ]);
  await waitFor(
    'x11vnc',
    () =>
      new Promise((resolve) =>
        net
          .connect(vncPort, '127.0.0.1')
          .once('connect', function () {
            this.destroy();
            resolve(true);
          })
          .once('error', () => resolve(false)),
      ),
    10_000,
  );
  // Painted once the server answers clients, so the first viewer sees it.
  if (has('xsetroot')) spawnSync('xsetroot', ['-solid', '#1f60c4'], { env: { ...process.env, ...env } });
  return vncPort;
}

let stopping = false;
async function stopAll() {
  stopping = true;
  for (const { child } of children.reverse()) {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  await new Promise((done) => setTimeout(done, 1500));
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
}

async function main() {
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true, mode: 0o711 });
  fs.chmodSync(dir, 0o711); // the embedded PostgreSQL runs as `postgres` when the demo runs as root
  for (const [name, port] of Object.entries(ports)) {
    if (!(await portFree(port))) throw new Error(`port ${port} (${name}) is in use; stop what holds it and retry`);
  }
  console.log(`Nester demo — state in ${dir}, logs in ${path.join(dir, 'logs')}\n`);

  step(`timescale-adapter on ${url(ports.adapter)} (first start creates its PostgreSQL)`);
  const writeToken = secretFile('adapter-write.token');
  const readToken = secretFile('adapter-read.token');
  start('timescale-adapter', process.execPath, [
    bin.adapter,
    `--web.listen-address=127.0.0.1:${ports.adapter}`,
    `--data-dir=${path.join(dir, 'adapter')}`,
    `--auth.write-token-file=${writeToken}`,
    `--auth.read-token-file=${readToken}`,
  ]);

  step(`nester on ${url(ports.nester)}`);
  const nesterData = path.join(dir, 'nester');
  start('nester', process.execPath, [
    bin.nester,
    'serve',
    `--data-dir=${nesterData}`,
    `--web.listen-address=127.0.0.1:${ports.nester}`,
    `--public-url=${url(ports.nester)}`,
    `--web.allowed-origins=${url(ports.sandbox)}`,
    `--grafana.url=${url(ports.sandbox)}/`,
    `--grafana.jwks-url=${url(ports.sandbox)}/api/signing-keys/keys`,
    '--agent.heartbeat-interval=5s',
  ]);
  await waitFor(
    'timescale-adapter',
    answers(`${url(ports.adapter)}/-/ready`, (status) => status === 200),
    120_000,
  );
  await waitFor(
    'nester',
    answers(`${url(ports.nester)}/healthz`, (status) => status === 200),
    120_000,
  );

  const apiTokenFile = path.join(dir, 'nester-api.token');
  if (!fs.existsSync(apiTokenFile)) {
    const { token } = JSON.parse(
      run(process.execPath, [
        bin.nester,
        'api-token',
        'create',
        `--data-dir=${nesterData}`,
        '--description=demo sandbox',
        '--output=json',
        '--log.level=error',
      ]),
    );
    fs.writeFileSync(apiTokenFile, `${token}\n`, { mode: 0o600 });
  }
  const stateDir = path.join(dir, 'harvester');
  if (!fs.existsSync(path.join(stateDir, 'nester.json'))) {
    step('enrolling this machine with nester');
    const { token } = JSON.parse(
      run(process.execPath, [
        bin.nester,
        'token',
        'create',
        `--data-dir=${nesterData}`,
        '--description=demo machine',
        '--output=json',
        '--log.level=error',
      ]),
    );
    run(process.execPath, [
      bin.harvester,
      'enroll',
      `--nester-url=${url(ports.nester)}`,
      `--token=${token}`,
      `--state-dir=${stateDir}`,
      '--remote.label=env=demo',
    ]);
  }

  const vncPort = await startDesktop();
  step(
    `harvester on ${url(ports.agent)}/metrics, pushing to the adapter, remote access through nester (terminal enabled for the demo)`,
  );
  start('harvester', bin.harvester, [
    `--web.listen-address=127.0.0.1:${ports.agent}`,
    `--push.url=${url(ports.adapter)}/api/v1/write`,
    `--push.bearer-token-file=${writeToken}`,
    `--push.queue.dir=${path.join(dir, 'queue')}`,
    `--remote.state-dir=${stateDir}`,
    '--remote.terminal',
    ...(vncPort ? [`--remote.vnc-address=127.0.0.1:${vncPort}`] : []),
  ]);

  step(`the sandbox (Grafana stand-in) on ${url(ports.sandbox)}, provisioned from ${provisioning}`);
  // Grafana's environment as the systemd drop-in gives it (provisioning/README.md): what the
  // provisioning files' $VARs name, the secrets included.
  start(
    'sandbox',
    process.execPath,
    [
      bin.sandbox,
      `--listen-address=127.0.0.1:${ports.sandbox}`,
      '--id-forwarding',
      `--data-dir=${path.join(dir, 'sandbox')}`,
      `--provisioning=${provisioning}`,
    ],
    {
      NESTER_URL: url(ports.nester),
      NESTER_API_TOKEN: fs.readFileSync(apiTokenFile, 'utf8').trim(),
      NESTER_PUBLIC_WS_URL: '',
      NESTER_ENROLL_URL: '',
      ADAPTER_URL: url(ports.adapter),
      ADAPTER_READ_TOKEN: fs.readFileSync(readToken, 'utf8').trim(),
    },
  );
  await waitFor(
    'harvester',
    answers(`${url(ports.agent)}/metrics`, (status) => status === 200),
  );
  await waitFor('sandbox', answers(url(ports.sandbox)), 180_000);

  console.log(`
Ready.
  Fleet app:      ${url(ports.sandbox)}/a/nester-fleet-app/fleet   (sign in as admin/Admin in the sandbox)
  Dashboards:     ${url(ports.sandbox)}/d/nester-fleet-overview and ${url(ports.sandbox)}/d/nester-harvester
  Agent metrics:  ${url(ports.agent)}/metrics
  nester API:     ${url(ports.nester)}   (API token in ${apiTokenFile})
  Adapter:        ${url(ports.adapter)}   (read token in ${readToken})
Ctrl-C stops everything.`);
}

process.once('SIGINT', () => stopAll().then(() => process.exit(0)));
process.once('SIGTERM', () => stopAll().then(() => process.exit(0)));
main().catch(async (err) => {
  console.error(`demo: ${err.message}`);
  await stopAll();
  process.exit(1);
});
