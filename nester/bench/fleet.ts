// Fleet benchmark: N simulated agents (default 10,000) keep control channels to one nester with
// heartbeats. Reports nester's RSS and CPU while they heartbeat, and how long it takes for all
// of them to be back after nester restarts. The open-file limit of every process started here is
// raised to the hard limit (`ulimit -n $(ulimit -Hn)`); 10,000 sockets need more than 1,024.
// Usage: npm run bench:relay (runs relay.js then this) or node nester/dist/bench/fleet.js [N]

import { eventually, freePort, type Service } from '@nester/testing/services';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mib, NESTER, nesterCommand, processUsage, startNode } from './processes';

const AGENTS = Number(process.argv[2] ?? process.env.BENCH_AGENTS ?? 10_000);
const WORKERS = 2;
const HEARTBEAT = '10s';
const STEADY_SECONDS = 30;

const services: Service[] = [];

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nester-bench-fleet-'));
  process.once('uncaughtException', (err) => {
    process.stderr.write(`fleet benchmark failed: ${err.stack}\n`);
    void Promise.all(services.map((s) => s.stop())).finally(() => process.exit(1));
  });
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const startNester = async () => {
      const nester = startNode('nester', [
        NESTER,
        'serve',
        `--web.listen-address=127.0.0.1:${port}`,
        `--data-dir=${dataDir}`,
        `--agent.heartbeat-interval=${HEARTBEAT}`,
        '--log.level=warn',
      ]);
      services.push(nester);
      await eventually(async () => (await fetch(`${url}/healthz`)).ok, 'nester to listen', 120_000);
      return nester;
    };
    const connectedAgents = async () => ((await (await fetch(`${url}/healthz`)).json()) as { agents: number }).agents;

    process.stderr.write(`starting nester (embedded PostgreSQL)…\n`);
    let nester = await startNester();
    const token = await nesterCommand(dataDir, 'token', 'create', '--ttl=0');

    process.stderr.write(`enrolling ${AGENTS} agents through POST /api/v1/enroll…\n`);
    const enrolStart = Date.now();
    const credentials: { harvesterId: string; credential: string; hostname: string }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < AGENTS) {
          const hostname = `sim-${String(next++).padStart(5, '0')}`;
          const response = await fetch(`${url}/api/v1/enroll`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ token, facts: { hostname } }),
          });
          if (response.status !== 201) throw new Error(`enrolment failed: ${response.status} ${await response.text()}`);
          credentials.push({ ...((await response.json()) as { harvesterId: string; credential: string }), hostname });
        }
      }),
    );
    const enrolSeconds = (Date.now() - enrolStart) / 1000;

    const baseline = processUsage(nester.process.pid!);
    const workers: Service[] = [];
    for (let w = 0; w < WORKERS; w++) {
      const file = join(dataDir, `agents-${w}.json`);
      writeFileSync(file, JSON.stringify(credentials.filter((_, i) => i % WORKERS === w)));
      workers.push(startNode(`agents-${w}`, [join(__dirname, 'fleet-worker.js'), url, file]));
    }
    services.push(...workers);
    const connectStart = Date.now();
    await eventually(async () => (await connectedAgents()) === AGENTS, `all ${AGENTS} agents to connect`, 300_000);
    const connectSeconds = (Date.now() - connectStart) / 1000;

    process.stderr.write(`all connected; measuring ${STEADY_SECONDS} s of heartbeats…\n`);
    const pid = nester.process.pid!;
    const before = processUsage(pid);
    const t0 = Date.now();
    await new Promise((done) => setTimeout(done, STEADY_SECONDS * 1000));
    const after = processUsage(pid);
    const cpuPercent = ((after.cpuSeconds - before.cpuSeconds) / ((Date.now() - t0) / 1000)) * 100;

    process.stderr.write('restarting nester…\n');
    const restartStart = Date.now();
    await nester.stop('SIGTERM');
    services.splice(services.indexOf(nester), 1);
    nester = await startNester();
    const listeningSeconds = (Date.now() - restartStart) / 1000;
    await eventually(async () => (await connectedAgents()) === AGENTS, `all ${AGENTS} agents to reconnect`, 300_000);
    const reconnectSeconds = (Date.now() - restartStart) / 1000;
    const afterRestart = processUsage(nester.process.pid!);

    process.stdout.write(
      `\nFleet benchmark: ${AGENTS} simulated agents in ${WORKERS} processes, heartbeat ${HEARTBEAT}, one nester (embedded PostgreSQL)\n`,
    );
    process.stdout.write(`machine: ${cpus().length} x ${cpus()[0]?.model}, node ${process.version}\n\n`);
    process.stdout.write(
      `enrolment (32 concurrent POST /api/v1/enroll): ${enrolSeconds.toFixed(1)} s (${(AGENTS / enrolSeconds).toFixed(0)}/s)\n`,
    );
    process.stdout.write(`first connection of all agents:               ${connectSeconds.toFixed(1)} s\n`);
    process.stdout.write(
      `nester RSS before agents / all connected:     ${mib(baseline.rss)} / ${mib(after.rss)} (${((after.rss - baseline.rss) / AGENTS / 1024).toFixed(1)} KiB per agent)\n`,
    );
    process.stdout.write(
      `nester CPU while they heartbeat:              ${cpuPercent.toFixed(1)} % of one core (${(AGENTS / 10).toFixed(0)} heartbeats/s)\n`,
    );
    process.stdout.write(`restart: nester listening again after         ${listeningSeconds.toFixed(1)} s\n`);
    process.stdout.write(
      `restart: all agents back after                ${reconnectSeconds.toFixed(1)} s (from SIGTERM; ${(reconnectSeconds - listeningSeconds).toFixed(1)} s after listening)\n`,
    );
    process.stdout.write(`nester RSS after the reconnect storm:         ${mib(afterRestart.rss)}\n`);
  } finally {
    for (const service of services.reverse()) await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`fleet benchmark failed: ${(err as Error).stack}\n`);
  void Promise.all(services.map((s) => s.stop())).finally(() => process.exit(1));
});
