// What the agent tells nester about its machine. Read from files and os.* only (no
// subprocesses); the VNC check is a short TCP connect to the configured local address.

import type { Facts } from '@nester/contracts/remote/protocol';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import { VERSION } from '../version';
import { OS_RELEASE_FILES, parseOsRelease } from '../files/os-release';

export interface FactsOptions {
  vnc: { host: string; port: number };
  terminalEnabled: boolean;
  labels: Record<string, string>;
}

export async function gatherFacts(options: FactsOptions): Promise<Facts> {
  return {
    hostname: os.hostname(),
    machineId: firstFile(['/etc/machine-id', '/var/lib/dbus/machine-id']).trim(),
    os: parseOsRelease(firstFile(OS_RELEASE_FILES)),
    kernel: os.release(),
    arch: os.arch(),
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    memoryBytes: os.totalmem(),
    addresses: Object.values(os.networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal)
      .map((address) => address!.address),
    agentVersion: VERSION,
    capabilities: { vnc: await reachable(options.vnc.host, options.vnc.port), terminal: options.terminalEnabled },
    labels: options.labels,
  };
}

export function reachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function firstFile(paths: string[]): string {
  for (const path of paths) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      // try the next one
    }
  }
  return '';
}
