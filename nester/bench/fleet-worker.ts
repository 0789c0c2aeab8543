// One process of simulated agents for the fleet benchmark: each keeps a control channel to
// nester like the real agent does (same path and header, facts on connect, heartbeats at the
// interval nester asks for, reconnect with the agent's jittered exponential back-off).
// Usage (spawned by fleet.ts): node fleet-worker.js <nester url> <credentials.json>

import { messageText } from '@nester/common/net/ws-message';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

const [nesterUrl, credentialsFile] = process.argv.slice(2);
const agents: { harvesterId: string; credential: string; hostname: string }[] = JSON.parse(
  readFileSync(credentialsFile, 'utf8'),
);
const controlUrl = `${nesterUrl.replace(/^http/, 'ws')}/ws/agent`;

// The agent's own back-off (agent/src/retry/backoff.ts): full jitter, 1 s doubling to 60 s.
const backoff = (attempt: number) =>
  Math.max(500, Math.floor(Math.random() * Math.min(60_000, 1000 * 2 ** Math.min(attempt, 30))));

let connected = 0;
let inFlight = 0;
const queue: (() => void)[] = [];
const MAX_IN_FLIGHT = 256; // a handshake storm bigger than this only queues in the kernel anyway

function schedule(start: () => void): void {
  if (inFlight < MAX_IN_FLIGHT) {
    inFlight++;
    start();
  } else queue.push(start);
}

function settled(): void {
  inFlight--;
  const next = queue.shift();
  if (next) {
    inFlight++;
    next();
  }
}

function run(agent: (typeof agents)[number], attempt = 0): void {
  schedule(() => {
    const ws = new WebSocket(controlUrl, {
      headers: { authorization: `Bearer ${agent.harvesterId}.${agent.credential}` },
      perMessageDeflate: false,
    });
    let open = false;
    let heartbeat: NodeJS.Timeout | undefined;
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        settled();
      }
    };
    ws.on('open', () => {
      finish();
      open = true;
      connected++;
      attempt = 0;
      ws.send(JSON.stringify({ type: 'facts', facts: facts(agent.hostname) }));
    });
    ws.on('message', (data) => {
      const message = JSON.parse(messageText(data));
      if (message.type === 'welcome') {
        clearInterval(heartbeat);
        // Spread heartbeats over the interval, as agents that started at different times do.
        const interval = message.heartbeatIntervalMs;
        setTimeout(() => {
          if (ws.readyState !== WebSocket.OPEN) return;
          ws.send('{"type":"heartbeat"}');
          heartbeat = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"heartbeat"}'), interval);
        }, Math.random() * interval);
      }
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      finish();
      clearInterval(heartbeat);
      if (open) connected--;
      setTimeout(() => run(agent, attempt + 1), backoff(attempt));
    });
  });
}

function facts(hostname: string) {
  return {
    hostname,
    machineId: hostname.padEnd(32, '0'),
    os: { id: 'debian', name: 'Debian GNU/Linux', version: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
    kernel: '6.1.0-18-amd64',
    arch: 'x64',
    cpus: 4,
    memoryBytes: 8 * 1024 ** 3,
    addresses: ['10.0.0.7'],
    agentVersion: '0.1.0',
    capabilities: { vnc: true, terminal: false },
    labels: { site: 'bench' },
  };
}

for (const agent of agents) run(agent);
setInterval(() => process.stdout.write(`${JSON.stringify({ connected })}\n`), 1000);
process.on('SIGTERM', () => process.exit(0));
