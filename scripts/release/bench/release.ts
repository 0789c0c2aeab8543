// `npm run bench:release`: the archives against the checkout. Sizes (gzip, unpacked), start-up
// (`--version`, median of 15 runs each) and the harvester's RSS serving metrics with a config file
// as the unit runs it (both side by side: 100 scrapes interleaved, then 15 s quiet and one scrape:
// settled, as bench:agent measures it; the median of 3 rounds).

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AddressInfo, createServer } from 'node:net';
import { release } from '../src/release';
import type { ProductName } from '../src/products';
import { REPO } from '../src/workspace';

const CHECKOUT_BIN: Record<ProductName, string> = {
  harvester: join(REPO, 'agent/bin/harvester.js'),
  nester: join(REPO, 'nester/bin/nester.js'),
  'timescale-adapter': join(REPO, 'datasource-timescale/bin/timescale-adapter.js'),
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function startupMs(command: string, args: string[]): number {
  const runs: number[] = [];
  for (let i = 0; i < 15; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
    runs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(runs);
}

function status(pid: number, key: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
  return Number(line?.[1] ?? NaN) / 1024;
}

async function serveAndMeasure(entries: { name: string; command: string; args: string[]; port: number; config: string }[]) {
  const children = entries.map((entry) =>
    spawn(entry.command, [...entry.args, `--web.listen-address=127.0.0.1:${entry.port}`, `--config.file=${entry.config}`, '--no-remote.enabled'], {
      stdio: 'ignore',
    }),
  );
  try {
    const scrape = (port: number) =>
      fetch(`http://127.0.0.1:${port}/metrics`, { headers: { 'accept-encoding': 'gzip' } }).then((res) => res.text());
    for (const entry of entries) {
      for (let tries = 0; ; tries++) {
        try {
          await scrape(entry.port);
          break;
        } catch (err) {
          if (tries > 100) throw err;
          await new Promise((done) => setTimeout(done, 100));
        }
      }
    }
    for (let i = 0; i < 100; i++) for (const entry of entries) await scrape(entry.port);
    await new Promise((done) => setTimeout(done, 15_000));
    for (const entry of entries) await scrape(entry.port);
    return entries.map((entry, i) => ({
      name: entry.name,
      settledMb: status(children[i].pid!, 'VmRSS'),
      peakMb: status(children[i].pid!, 'VmHWM'),
    }));
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'nester-bench-release-'));
  try {
    const built = await release({ repo: REPO, outDir: join(work, 'out') });
    process.stdout.write('| archive | gzip MB | unpacked MB | --version ms, archive | --version ms, checkout |\n|---|--:|--:|--:|--:|\n');
    for (const archive of built) {
      const dir = join(work, archive.name);
      execFileSync('mkdir', ['-p', dir]);
      execFileSync('tar', ['-xzf', archive.file, '-C', dir, '--strip-components=1']);
      const unpacked = Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
      const fromArchive = startupMs('/bin/sh', [join(dir, 'bin', archive.name), '--version']);
      const fromCheckout = startupMs(CHECKOUT_BIN[archive.name], ['--version']);
      process.stdout.write(
        `| ${archive.name} | ${(archive.bytes / 1e6).toFixed(1)} | ${(unpacked / 1e6).toFixed(1)} | ${fromArchive.toFixed(0)} | ${fromCheckout.toFixed(0)} |\n`,
      );
    }
    const config = join(work, 'harvester.yml');
    writeFileSync(config, 'log.level: warn\n');
    const rounds: Awaited<ReturnType<typeof serveAndMeasure>>[] = [];
    for (let round = 0; round < 3; round++) {
      const [a, b] = [await freePort(), await freePort()];
      rounds.push(
        await serveAndMeasure([
          { name: 'archive', command: '/bin/sh', args: [join(work, 'harvester', 'bin', 'harvester')], port: a, config },
          { name: 'checkout', command: CHECKOUT_BIN.harvester, args: [], port: b, config },
        ]),
      );
    }
    process.stdout.write('\n| harvester from | RSS MB, settled (3 rounds) | median | peak RSS MB, median |\n|---|---|--:|--:|\n');
    for (const [i, name] of ['archive', 'checkout'].entries()) {
      const settled = rounds.map((round) => round[i].settledMb);
      const peak = rounds.map((round) => round[i].peakMb);
      process.stdout.write(
        `| ${name} | ${settled.map((mb) => mb.toFixed(1)).join(', ')} | ${median(settled).toFixed(1)} | ${median(peak).toFixed(1)} |\n`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
