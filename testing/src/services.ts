// Test support for end-to-end tests: start real programs (node_exporter, Prometheus, our
// binaries) on free loopback ports, wait until they answer, and always stop them.

import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface Service {
  name: string;
  process: ChildProcess;
  /** Everything the program wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function startService(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Service {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => {
    log += chunk.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    process: child,
    output: () => log,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls an HTTP URL until it answers 2xx (or `accept` says yes), failing with the service's output. */
export async function waitForHttp(
  service: Service,
  url: string,
  { timeoutMs = 20_000, accept = (status: number) => status >= 200 && status < 300 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) {
      throw new Error(`${service.name} exited with ${service.process.exitCode}:\n${service.output()}`);
    }
    try {
      const res = await fetch(url);
      if (accept(res.status)) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${service.name} did not answer ${url} within ${timeoutMs} ms (${last}):\n${service.output()}`);
}

/**
 * Polls `probe` until it returns something truthy (undefined, null, false, 0 and '' mean "not
 * yet"), or fails after `timeoutMs` naming `what` and the last error the probe threw.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** true when the URL answers 2xx, undefined otherwise (for `eventually`). */
export async function httpOk(url: string): Promise<true | undefined> {
  const res = await fetch(url).catch(() => undefined);
  return res?.ok ? true : undefined;
}
