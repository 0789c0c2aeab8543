// Relay benchmark: the same VNC server (x11vnc on Xvfb) reached three ways, in one run:
//   direct      RFB over TCP to x11vnc (the ceiling),
//   websockify  Debian's websockify bridging WebSocket to that VNC server,
//   nester      browser WebSocket → nester → agent's outbound WebSocket → x11vnc.
// Throughput: full-screen Raw updates (MB/s), and the CPU the path's bridge processes spent per
// MB (websockify with its per-connection children; nester plus the agent). Latency: 1×1-pixel
// update round trips. Every measurement starts a fresh x11vnc (see Desktop.restartVnc).
// Usage: npm run bench:relay  (prints a table and the ratios nester/websockify).
// BENCH_FRAMES, BENCH_ROUND_TRIPS and BENCH_NESTER_ARGS (extra `nester serve` flags) tune a run.

import { eventually, freePort, type Service, startService } from '@nester/testing/services';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startDesktop } from '@nester/testing/desktop';
import { HARVESTER_BIN } from '@nester/testing/harvester';
import { machineBusyCpuMs, processTreeCpuMs } from '@nester/testing/proc';
import { harvester, NESTER, nesterCommand, startNode } from './processes';
import { type ByteChannel, RfbStream } from './rfb-stream';

const WIDTH = 1280;
const HEIGHT = 800;
const FRAMES = Number(process.env.BENCH_FRAMES ?? 60);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 500);
const ORIGIN = 'http://bench.local';

interface Result {
  path: string;
  mbPerSecond: number;
  /** Median time from a full-screen request to its first byte: the server's share of each frame. */
  firstByteMs: number;
  medianMs: number;
  p99Ms: number;
  /** CPU the path's bridge processes spent per MB of full-screen updates (0 for direct TCP). */
  bridgeCpuMsPerMb: number;
  /** The same, per bridge process (nester and the agent for the relay). */
  perProcessMsPerMb: number[];
  /** CPU the whole machine spent per MB (VNC server, client, bridges, kernel), and how busy it was. */
  machineCpuMsPerMb: number;
  machineBusyCores: number;
}

function tcpChannel(port: number): Promise<ByteChannel & { close(): void }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      resolve({ onData: (l) => socket.on('data', l), write: (d) => socket.write(d), close: () => socket.destroy() }),
    );
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

function wsChannel(ws: WebSocket): ByteChannel & { close(): void } {
  return {
    onData: (listener) => ws.on('message', (data, binary) => binary && listener(data as Buffer)),
    write: (data) => ws.send(data, { binary: true }),
    close: () => ws.close(),
  };
}

async function measure(path: string, channel: ByteChannel & { close(): void }, bridgePids: number[]): Promise<Result> {
  const cpuEach = () => bridgePids.map(processTreeCpuMs);
  const rfb = new RfbStream(channel);
  await rfb.handshake();
  for (let i = 0; i < 3; i++) await rfb.update();
  const startBytes = rfb.bytesReceived;
  const cpuBefore = cpuEach();
  const machineBefore = machineBusyCpuMs();
  const firstBytesBefore = rfb.firstByteMs.length;
  const started = process.hrtime.bigint();
  for (let i = 0; i < FRAMES; i++) await rfb.update();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const mb = (rfb.bytesReceived - startBytes) / 1e6;
  const mbPerSecond = mb / seconds;
  const machineMs = machineBusyCpuMs() - machineBefore;
  const perProcessMsPerMb = cpuEach().map((ms, i) => (ms - cpuBefore[i]) / mb);
  const bridgeCpuMsPerMb = perProcessMsPerMb.reduce((sum, ms) => sum + ms, 0);
  const firstBytes = rfb.firstByteMs.slice(firstBytesBefore).sort((a, b) => a - b);
  const rtts: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const t = process.hrtime.bigint();
    await rfb.update(i % WIDTH, 0, 1, 1);
    rtts.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  rtts.sort((a, b) => a - b);
  channel.close();
  return {
    path,
    mbPerSecond,
    firstByteMs: firstBytes[Math.floor(firstBytes.length / 2)],
    medianMs: rtts[Math.floor(rtts.length / 2)],
    p99Ms: rtts[Math.floor(rtts.length * 0.99)],
    bridgeCpuMsPerMb,
    perProcessMsPerMb,
    machineCpuMsPerMb: machineMs / mb,
    machineBusyCores: machineMs / 1000 / seconds,
  };
}

const services: Service[] = [];

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nester-bench-relay-'));
  const desktop = await startDesktop(WIDTH, HEIGHT);
  // Whatever fails, the processes this run started must go with it.
  process.once('uncaughtException', (err) => {
    process.stderr.write(`relay benchmark failed: ${err.stack}\n`);
    void Promise.all(services.map((service) => service.stop()))
      .then(() => desktop.stop())
      .finally(() => process.exit(1));
  });
  try {
    await desktop.x('xsetroot', ['-solid', '#336699']);
    const websockifyPort = await freePort();
    const websockify = startService('websockify', 'websockify', [
      `127.0.0.1:${websockifyPort}`,
      `127.0.0.1:${desktop.vncPort}`,
    ]);
    services.push(websockify);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    process.stderr.write('starting nester (embedded PostgreSQL, first start takes a few seconds)…\n');
    const nester = startNode('nester', [
      NESTER,
      'serve',
      `--web.listen-address=127.0.0.1:${port}`,
      `--data-dir=${dataDir}`,
      `--web.allowed-origins=${ORIGIN}`,
      '--log.level=warn',
    ]);
    services.push(nester);
    await eventually(async () => (await fetch(`${url}/healthz`)).ok, 'nester', 120_000);
    const apiToken = await nesterCommand(dataDir, 'api-token', 'create');
    const enrolment = await nesterCommand(dataDir, 'token', 'create');
    const stateDir = join(dataDir, 'agent');
    await harvester('enroll', '--nester-url', url, '--token', enrolment, '--state-dir', stateDir);
    const agent = startNode('harvester', [
      HARVESTER_BIN,
      '--web.listen-address=127.0.0.1:0',
      '--collector.disable-defaults',
      `--remote.state-dir=${stateDir}`,
      `--remote.vnc-address=127.0.0.1:${desktop.vncPort}`,
      '--log.level=warn',
    ]);
    services.push(agent);
    const headers = {
      authorization: `Bearer ${apiToken}`,
      'x-grafana-user': 'bench',
      'content-type': 'application/json',
    };
    const harvesterId = await eventually(
      async () => {
        const body = (await (await fetch(`${url}/api/v1/harvesters?status=online`, { headers })).json()) as {
          harvesters: { id: string; capabilities: { vnc: boolean } }[];
        };
        return body.harvesters.find((h) => h.capabilities.vnc)?.id;
      },
      'the agent online with VNC',
      120_000,
    );

    const viaNester = async () => {
      const issued = (await (
        await fetch(`${url}/api/v1/sessions/vnc`, { method: 'POST', headers, body: JSON.stringify({ harvesterId }) })
      ).json()) as { ticket: string; websocketUrl: string };
      const ws = new WebSocket(issued.websocketUrl, { headers: { origin: ORIGIN }, perMessageDeflate: false });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', ticket: issued.ticket })));
        ws.once('message', () => resolve());
        ws.once('close', (code, reason) => reject(new Error(`nester closed: ${code} ${reason.toString()}`)));
      });
      return wsChannel(ws);
    };
    const viaWebsockify = async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${websockifyPort}/`, ['binary'], { perMessageDeflate: false });
      await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
      return wsChannel(ws);
    };

    const results: Result[] = [];
    const paths: [string, () => Promise<ByteChannel & { close(): void }>, number[]][] = [
      ['direct TCP', () => tcpChannel(desktop.vncPort), []],
      ['websockify', viaWebsockify, [websockify.process.pid!]],
      ['nester relay', viaNester, [nester.process.pid!, agent.process.pid!]],
    ];
    // Each measurement gets a fresh x11vnc: it paces every client after its first one differently.
    for (let round = 0; round < 2; round++) {
      for (const [path, open, bridgePids] of paths) {
        await desktop.restartVnc();
        results.push(await measure(path, await open(), bridgePids));
      }
    }
    const best = (path: string) => {
      const runs = results.filter((r) => r.path === path);
      const fastest = runs.reduce((a, b) => (a.mbPerSecond >= b.mbPerSecond ? a : b));
      return {
        path,
        mbPerSecond: Math.max(...runs.map((r) => r.mbPerSecond)),
        firstByteMs: Math.min(...runs.map((r) => r.firstByteMs)),
        bridgeCpuMsPerMb: Math.min(...runs.map((r) => r.bridgeCpuMsPerMb)),
        split: runs.reduce((a, b) => (a.bridgeCpuMsPerMb <= b.bridgeCpuMsPerMb ? a : b)).perProcessMsPerMb,
        machineCpuMsPerMb: fastest.machineCpuMsPerMb,
        machineBusyCores: fastest.machineBusyCores,
        medianMs: Math.min(...runs.map((r) => r.medianMs)),
        p99Ms: Math.min(...runs.map((r) => r.p99Ms)),
      };
    };
    const [direct, wsfy, relay] = ['direct TCP', 'websockify', 'nester relay'].map(best);
    process.stdout.write(
      `\nRelay benchmark: ${WIDTH}x${HEIGHT} 32 bpp Raw full-screen updates x${FRAMES}, ${ROUND_TRIPS} 1x1 round trips; best of 2 rounds\n`,
    );
    process.stdout.write(`machine: ${cpus().length} x ${cpus()[0]?.model}, node ${process.version}\n\n`);
    process.stdout.write(
      'path           throughput MB/s   bridge CPU ms/MB   machine CPU ms/MB   busy cores   frame first byte ms   RTT median ms   RTT p99 ms\n',
    );
    for (const r of [direct, wsfy, relay]) {
      process.stdout.write(
        `${r.path.padEnd(15)}${r.mbPerSecond.toFixed(1).padStart(15)}${r.bridgeCpuMsPerMb.toFixed(2).padStart(19)}${r.machineCpuMsPerMb.toFixed(2).padStart(20)}${r.machineBusyCores.toFixed(2).padStart(13)}${r.firstByteMs.toFixed(3).padStart(22)}${r.medianMs.toFixed(3).padStart(16)}${r.p99Ms.toFixed(3).padStart(13)}\n`,
      );
    }
    process.stdout.write(
      `\nnester relay bridge CPU: nester ${relay.split[0].toFixed(2)} + agent ${relay.split[1].toFixed(2)} ms/MB\n`,
    );
    process.stdout.write(
      `nester / websockify throughput: ${(relay.mbPerSecond / wsfy.mbPerSecond).toFixed(2)}x (target >= 1.00)\n`,
    );
    process.stdout.write(`nester / direct throughput:     ${(relay.mbPerSecond / direct.mbPerSecond).toFixed(2)}x\n`);
    process.stdout.write(
      `added median latency vs direct: nester ${(relay.medianMs - direct.medianMs).toFixed(3)} ms (two hops), websockify ${(wsfy.medianMs - direct.medianMs).toFixed(3)} ms (one hop)\n`,
    );
  } finally {
    for (const service of services.reverse()) await service.stop();
    await desktop.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`relay benchmark failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
