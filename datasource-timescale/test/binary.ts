// The real `timescale-adapter` binary as a child process (needs `npm run build`), for attack
// and fuzz tests: an exception escaping a listener would kill it or print a crash report,
// which `expectUnharmed` catches, and a stalled event loop shows as a health check that does
// not answer.

import { join } from 'node:path';
import { freePort, eventually, httpOk, startService, type Service } from '@nester/testing/services';
import { READ_TOKEN, WRITE_TOKEN } from './harness';

export const BIN = join(__dirname, '../bin/timescale-adapter.js');

export interface AdapterProcess {
  service: Service;
  url: string;
  port: number;
  /** Alive, healthy within `withinMs`, and no uncaught exception or crash report in its output. */
  expectUnharmed(withinMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface BinaryOptions {
  scheme?: 'http' | 'https';
  /** Answers true when `url`/-/healthy (or ready) answers; plain fetch by default. */
  healthy?: (url: string, timeoutMs: number) => Promise<boolean>;
  env?: NodeJS.ProcessEnv;
  /** Leave out the default tokens (the caller passes its own flags). */
  noTokens?: boolean;
  /** Start-up (an embedded PostgreSQL's first start runs initdb) may take this long. */
  readyWithinMs?: number;
}

const fetchHealthy = async (url: string, timeoutMs: number) =>
  (await fetch(`${url}/-/healthy`, { signal: AbortSignal.timeout(timeoutMs) }).catch(() => undefined))?.status === 200;

export async function startAdapterBinary(args: string[], o: BinaryOptions = {}): Promise<AdapterProcess> {
  const port = await freePort();
  const tokens = o.noTokens ? [] : [`--auth.write-token=${WRITE_TOKEN}`, `--auth.read-token=${READ_TOKEN}`];
  const service = startService(
    'timescale-adapter',
    process.execPath,
    [BIN, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', ...tokens, ...args],
    o.env,
  );
  const url = `${o.scheme ?? 'http'}://127.0.0.1:${port}`;
  const healthy = o.healthy ?? fetchHealthy;
  const exited = () => service.process.exitCode !== null || service.process.signalCode !== null;
  try {
    await eventually(
      async () => {
        if (exited()) throw new Error(`exited with ${service.process.exitCode}`);
        return o.healthy ? healthy(url, 2000) : httpOk(`${url}/-/ready`);
      },
      'the adapter binary to be ready',
      o.readyWithinMs,
    );
  } catch (err) {
    await service.stop();
    throw new Error(`${(err as Error).message}\n${service.output()}`, { cause: err });
  }
  return {
    service,
    url,
    port,
    async expectUnharmed(withinMs = 10_000) {
      const output = service.output();
      expect({ exited: exited(), output }).toEqual({ exited: false, output });
      expect({ healthy: await healthy(url, withinMs), output }).toEqual({ healthy: true, output });
      expect(output).not.toMatch(/uncaught|unhandled|Node\.js v\d+|FATAL ERROR|RangeError|TypeError/i);
    },
    stop: () => service.stop(),
  };
}
