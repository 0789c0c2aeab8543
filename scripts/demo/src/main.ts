// `npm start`: the whole Nester stack on this machine, in the sandbox standing in for Grafana.
//   timescale-adapter :9201 (embedded PostgreSQL)  ← harvester :9100 pushes its metrics
//   nester :8080 (embedded PostgreSQL)             ← harvester dials out for remote access
//   Xvfb + x11vnc on loopback (when installed)     ← the desktop the harvester serves
//   sandbox :3000                                  → provisioned from provisioning/ as Grafana would be
// Builds only what is out of date (builds.ts), supervises every part (supervisor.ts), enrols the
// harvester with a token revoked right after (enrol.ts). State lives in $NESTER_DEMO_DIR (default
// /tmp/nester-demo-<uid>) and survives restarts. Ctrl-C stops everything.

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildSteps, checkStep, runStep } from './builds';
import { decorate, installed } from './desktop';
import { enrolDemoMachine } from './enrol';
import { formatDuration, Progress } from './progress';
import { type Child, Supervisor } from './supervisor';

const repo = resolve(__dirname, '..', '..', '..', '..');
const bin = {
  adapter: join(repo, 'datasource-timescale', 'bin', 'timescale-adapter.js'),
  nester: join(repo, 'nester', 'bin', 'nester.js'),
  harvester: join(repo, 'agent', 'bin', 'harvester.js'),
  sandbox: join(repo, 'grafana-plugins', 'sandbox', 'bin', 'sandbox.js'),
};
// The files Ansible installs into Grafana; the demo's sandbox reads the same ones.
const provisioning = join(repo, 'provisioning');
const dir = process.env.NESTER_DEMO_DIR || join(tmpdir(), `nester-demo-${process.getuid?.() ?? 'user'}`);
const logs = join(dir, 'logs');
const ports = { sandbox: 3000, nester: 8080, agent: 9100, adapter: 9201 };
const url = (port: number) => `http://127.0.0.1:${port}`;
const LABELS = ['env=demo'];

const progress = new Progress();
const supervisors: Supervisor[] = [];
const decorations: ChildProcess[] = [];
let failed: (message: string) => void = () => undefined;
/** Settles when a part gives up or does not come up: the demo then stops. */
const failure = new Promise<never>((_, reject) => {
  failed = (message) => reject(new Error(message));
});
failure.catch(() => undefined);

function secretFile(name: string): string {
  const file = join(dir, name);
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  return file;
}

/** Node's ChildProcess as the supervisor's Child, its output appended to `logFile`. */
function spawnInto(logFile: string, command: string, args: string[], env: NodeJS.ProcessEnv): Child {
  appendFileSync(logFile, `\n--- ${new Date().toISOString()} npm start: starting ${command} ---\n`);
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let listener: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
  let ended = false;
  const end = (code: number | null, signal: NodeJS.Signals | null) => {
    if (ended) return;
    ended = true;
    listener?.(code, signal);
  };
  child.once('exit', end);
  child.once('error', (err) => {
    appendFileSync(logFile, `npm start: cannot start ${command}: ${err.message}\n`);
    end(null, null);
  });
  return { kill: (signal) => void child.kill(signal), onExit: (l) => (listener = l) };
}

interface Part {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Resolves true once the part serves. */
  probe: () => Promise<boolean>;
  /** What the ready line names, e.g. its URL. */
  at: string;
  timeoutMs: number;
  onReady?: (run: number) => void;
}

/** Starts a part under supervision; resolves when it first serves, and says so on each (re)start. */
function supervise(part: Part): Promise<void> {
  const logFile = join(logs, `${part.name}.log`);
  let firstReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (firstReady = resolve));
  const supervisor: Supervisor = new Supervisor({
    name: part.name,
    logFile,
    log: (line) => progress.line(line),
    spawn: () => spawnInto(logFile, part.command, part.args, part.env ?? {}),
    onGiveUp: failed,
    onStart: (run) => void awaitReady(run),
  });
  const awaitReady = async (run: number) => {
    const what = run === 1 ? part.name : `${part.name} (restart ${run - 1})`;
    progress.begin(what);
    const deadline = Date.now() + part.timeoutMs;
    while (supervisor.started === run && supervisor.alive) {
      if (await part.probe().catch(() => false)) {
        const took = progress.end(what);
        progress.line(`✓ ${part.name} ready${run === 1 ? '' : ' again'} at ${part.at} (${formatDuration(took)})`);
        part.onReady?.(run);
        firstReady();
        return;
      }
      if (Date.now() > deadline) {
        progress.end(what);
        failed(`${part.name} did not come up within ${formatDuration(part.timeoutMs)}; see ${logFile}`);
        return;
      }
      await new Promise((done) => setTimeout(done, 250));
    }
    progress.end(what);
  };
  supervisors.push(supervisor);
  supervisor.start();
  return ready;
}

const answers = (address: string, ok: (status: number) => boolean) => () =>
  fetch(address, { signal: AbortSignal.timeout(5000) }).then((res) => ok(res.status));

const listening = (port: number) => () =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Builds what is out of date, one step at a time (they share two cores with everything else). */
async function build(): Promise<void> {
  for (const step of buildSteps(repo)) {
    const verdict = checkStep(step);
    if (verdict.upToDate) {
      progress.line(`✓ ${step.name}: up to date, not rebuilt`);
      continue;
    }
    progress.line(`• building ${step.name}: ${verdict.reason}`);
    const what = `the build of ${step.name}`;
    progress.begin(what);
    try {
      await runStep(step, join(logs, `build-${step.name.replace(/\W+/g, '-')}.log`));
    } finally {
      const took = progress.end(what);
      progress.line(`✓ built ${step.name} (${formatDuration(took)})`);
    }
  }
}

/** Xvfb with x11vnc on loopback, when both are installed; resolves x11vnc's port. */
async function startDesktop(banner: string): Promise<number | undefined> {
  if (!installed('Xvfb') || !installed('x11vnc')) {
    progress.line('• Xvfb or x11vnc not installed: no desktop (apt-get install xvfb x11vnc to see one)');
    return undefined;
  }
  let display = 70;
  while (existsSync(`/tmp/.X11-unix/X${display}`) || existsSync(`/tmp/.X${display}-lock`)) display++;
  let vncPort = 5900;
  while (!(await portFree(vncPort))) vncPort++;
  await supervise({
    name: 'xvfb',
    command: 'Xvfb',
    args: [`:${display}`, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
    probe: () => Promise.resolve(existsSync(`/tmp/.X11-unix/X${display}`)),
    at: `display :${display}`,
    timeoutMs: 15_000,
  });
  await supervise({
    name: 'x11vnc',
    command: 'x11vnc',
    args: [
      '-display',
      `:${display}`,
      '-localhost',
      '-rfbport',
      String(vncPort),
      '-forever',
      '-shared',
      '-nopw',
      '-quiet',
    ],
    probe: listening(vncPort),
    at: `127.0.0.1:${vncPort}`,
    timeoutMs: 15_000,
    // Painted once the server answers clients, so the first viewer sees it; again after a restart.
    onReady: () => {
      for (const child of decorations.splice(0)) child.kill('SIGTERM');
      decorations.push(...decorate(`:${display}`, banner));
    },
  });
  return vncPort;
}

const runNode = promisify(execFile);

async function apiToken(nesterData: string): Promise<string> {
  const file = join(dir, 'nester-api.token');
  if (!existsSync(file)) {
    const created = await runNode(
      process.execPath,
      [
        bin.nester,
        'api-token',
        'create',
        `--data-dir=${nesterData}`,
        '--description=demo sandbox',
        '--output=json',
        '--log.level=error',
      ],
      { encoding: 'utf8' },
    );
    const { token } = JSON.parse(created.stdout) as { token: string };
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
  }
  return file;
}

/** The harvester's id, enrolling this machine first when it is not yet. */
async function enrolment(nesterData: string, stateDir: string): Promise<string> {
  const stateFile = join(stateDir, 'nester.json');
  if (existsSync(stateFile))
    return (JSON.parse(readFileSync(stateFile, 'utf8')) as { harvesterId: string }).harvesterId;
  progress.line('• enrolling this machine with nester');
  const { harvesterId, tokenId } = await enrolDemoMachine({
    nesterBin: bin.nester,
    harvesterBin: bin.harvester,
    database: [`--data-dir=${nesterData}`],
    nesterUrl: url(ports.nester),
    stateDir,
    labels: LABELS,
  });
  progress.line(`✓ enrolled as ${harvesterId}; its single-use enrolment token ${tokenId} is revoked`);
  return harvesterId;
}

/** The labels the harvester reports: the operator's edits in the fleet app, or the demo's. */
function labelsOf(stateDir: string): string {
  try {
    const stored = JSON.parse(readFileSync(join(stateDir, 'labels.json'), 'utf8')) as Record<string, string>;
    return Object.entries(stored)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ');
  } catch {
    return LABELS.join(', ');
  }
}

async function main(): Promise<void> {
  mkdirSync(logs, { recursive: true, mode: 0o711 });
  chmodSync(dir, 0o711); // the embedded PostgreSQL runs as `postgres` when the demo runs as root
  for (const [name, port] of Object.entries(ports)) {
    if (!(await portFree(port))) throw new Error(`port ${port} (${name}) is in use; stop what holds it and retry`);
  }
  progress.line(`Nester demo: state in ${dir}, logs in ${logs}\n`);
  await build();

  const writeToken = secretFile('adapter-write.token');
  const readToken = secretFile('adapter-read.token');
  const nesterData = join(dir, 'nester');
  const adapter = supervise({
    name: 'timescale-adapter',
    command: process.execPath,
    args: [
      bin.adapter,
      `--web.listen-address=127.0.0.1:${ports.adapter}`,
      `--data-dir=${join(dir, 'adapter')}`,
      `--auth.write-token-file=${writeToken}`,
      `--auth.read-token-file=${readToken}`,
    ],
    probe: answers(`${url(ports.adapter)}/-/ready`, (status) => status === 200),
    at: url(ports.adapter),
    timeoutMs: 120_000,
  });
  const nester = supervise({
    name: 'nester',
    command: process.execPath,
    args: [
      bin.nester,
      'serve',
      `--data-dir=${nesterData}`,
      `--web.listen-address=127.0.0.1:${ports.nester}`,
      `--public-url=${url(ports.nester)}`,
      `--web.allowed-origins=${url(ports.sandbox)}`,
      `--grafana.url=${url(ports.sandbox)}/`,
      `--grafana.jwks-url=${url(ports.sandbox)}/api/signing-keys/keys`,
      '--agent.heartbeat-interval=5s',
    ],
    probe: answers(`${url(ports.nester)}/healthz`, (status) => status === 200),
    at: url(ports.nester),
    timeoutMs: 120_000,
  });
  await Promise.race([Promise.all([adapter, nester]), failure]);

  const apiTokenFile = await apiToken(nesterData);
  const stateDir = join(dir, 'harvester');
  const harvesterId = await Promise.race([enrolment(nesterData, stateDir), failure]);
  const harvester = `${harvesterId} on ${hostname()} (${labelsOf(stateDir)})`;

  const vncPort = await Promise.race([
    startDesktop(`Nester demo: this desktop is served by harvester ${harvester}`),
    failure,
  ]);
  const agent = supervise({
    name: 'harvester',
    command: bin.harvester,
    args: [
      `--web.listen-address=127.0.0.1:${ports.agent}`,
      `--push.url=${url(ports.adapter)}/api/v1/write`,
      `--push.bearer-token-file=${writeToken}`,
      `--push.queue.dir=${join(dir, 'queue')}`,
      `--remote.state-dir=${stateDir}`,
      ...LABELS.map((label) => `--remote.label=${label}`),
      '--remote.terminal',
      ...(vncPort ? [`--remote.vnc-address=127.0.0.1:${vncPort}`] : []),
    ],
    probe: answers(`${url(ports.agent)}/metrics`, (status) => status === 200),
    at: `${url(ports.agent)}/metrics`,
    timeoutMs: 60_000,
  });
  // Grafana's environment as the systemd drop-in gives it (provisioning/README.md): what the
  // provisioning files' $VARs name, the secrets included.
  const sandbox = supervise({
    name: 'sandbox',
    command: process.execPath,
    args: [
      bin.sandbox,
      `--listen-address=127.0.0.1:${ports.sandbox}`,
      '--id-forwarding',
      `--data-dir=${join(dir, 'sandbox')}`,
      `--provisioning=${provisioning}`,
    ],
    env: {
      NESTER_URL: url(ports.nester),
      NESTER_API_TOKEN: readFileSync(apiTokenFile, 'utf8').trim(),
      NESTER_PUBLIC_WS_URL: '',
      NESTER_ENROLL_URL: '',
      ADAPTER_URL: url(ports.adapter),
      ADAPTER_READ_TOKEN: readFileSync(readToken, 'utf8').trim(),
    },
    probe: answers(url(ports.sandbox), (status) => status < 500),
    at: url(ports.sandbox),
    timeoutMs: 180_000,
  });
  await Promise.race([Promise.all([agent, sandbox]), failure]);

  progress.line(`
Ready.
  Fleet app:      ${url(ports.sandbox)}/a/nester-fleet-app/fleet   (sign in as admin/Admin in the sandbox)
  Dashboards:     ${url(ports.sandbox)}/d/nester-fleet-overview and ${url(ports.sandbox)}/d/nester-harvester
  Harvester:      ${harvester}, metrics at ${url(ports.agent)}/metrics
  nester API:     ${url(ports.nester)}   (API token in ${apiTokenFile})
  Adapter:        ${url(ports.adapter)}   (read token in ${readToken})
Parts that die are restarted; Ctrl-C stops everything.`);
  await failure;
}

let stopping: Promise<void> | undefined;
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const child of decorations) child.kill('SIGTERM');
    // The harvester and the sandbox before the servers they talk to.
    await Promise.all(supervisors.reverse().map((supervisor) => supervisor.stop()));
  })();
  return stopping;
}

export function run(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130); // a second Ctrl-C: do not wait
      progress.line('\nstopping…');
      void stopAll().then(() => process.exit(0));
    });
  }
  main().catch(async (err: Error) => {
    progress.line(`demo: ${err.message}`);
    await stopAll();
    process.exit(1);
  });
}
