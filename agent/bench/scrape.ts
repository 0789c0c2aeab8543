// Benchmark: the harvester side by side with Debian's node_exporter on this machine, the same
// collectors enabled on both, scraped the way Prometheus scrapes (gzip). Prints scrape wall
// time (median, p99), CPU time per scrape and RSS after warm-up, and the ratios to node_exporter.
//
//   npm run bench:agent [-- --scrapes 300]

import { cpus } from 'node:os';
import { request } from 'node:http';
import { COLLECTORS } from '../src/collectors/index';
import { startHarvester } from '@nester/testing/harvester';
import { processStat, processStatusKib } from '@nester/testing/proc';
import { nodeExporterCollectors, startNodeExporter, UPSTREAM_DEFAULTS } from '../test/support/node-exporter';

const scrapes = Number(process.argv[process.argv.indexOf('--scrapes') + 1]) || 300;

interface Result {
  name: string;
  wallMs: number[];
  cpuMsPerScrape: number;
  /** Resident set at the end of the back-to-back scrapes, and its peak (VmHWM). */
  rssMb: number;
  peakRssMb: number;
  /** Resident set after 15 s without scrapes, Prometheus' default interval: the steady state. */
  settledRssMb: number;
  bytes: number;
}

async function main() {
  const shared = COLLECTORS.map((c) => c.name).filter((name) => nodeExporterCollectors().includes(name));
  const enable = ['--collector.disable-defaults', ...shared.map((name) => `--collector.${name}`)];
  const [agent, exporter] = await Promise.all([
    startHarvester(enable),
    startNodeExporter([...enable, ...UPSTREAM_DEFAULTS]),
  ]);
  try {
    const targets = [
      { name: 'node_exporter', url: exporter.url, pid: exporter.service.process.pid! },
      { name: 'harvester', url: agent.url, pid: agent.service.process.pid! },
    ];
    for (const target of targets) for (let i = 0; i < 30; i++) await get(target.url); // warm-up (JIT, caches)
    const results: Result[] = targets.map((t) => ({
      name: t.name,
      wallMs: [],
      cpuMsPerScrape: 0,
      rssMb: 0,
      peakRssMb: 0,
      settledRssMb: 0,
      bytes: 0,
    }));
    const cpuBefore = targets.map((t) => processStat(t.pid).cpuMs);
    // Interleave the two so that both see the same machine conditions.
    for (let i = 0; i < scrapes; i++) {
      for (const [index, target] of targets.entries()) {
        const start = process.hrtime.bigint();
        results[index].bytes = await get(target.url);
        results[index].wallMs.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
    targets.forEach((target, index) => {
      results[index].cpuMsPerScrape = (processStat(target.pid).cpuMs - cpuBefore[index]) / scrapes;
      results[index].rssMb = processStatusKib(target.pid, 'VmRSS') / 1024;
      results[index].peakRssMb = processStatusKib(target.pid, 'VmHWM') / 1024;
    });
    await new Promise((done) => setTimeout(done, 15_000));
    for (const target of targets) await get(target.url);
    targets.forEach((target, index) => (results[index].settledRssMb = processStatusKib(target.pid, 'VmRSS') / 1024));
    report(results, shared);
  } finally {
    await Promise.all([agent.service.stop(), exporter.service.stop()]);
  }
}

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/metrics`, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(bytes) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function report([ne, ours]: Result[], collectors: string[]) {
  const row = (r: Result) =>
    `| ${r.name} | ${percentile(r.wallMs, 50).toFixed(2)} | ${percentile(r.wallMs, 99).toFixed(2)} | ` +
    `${r.cpuMsPerScrape.toFixed(2)} | ${r.settledRssMb.toFixed(1)} | ${r.rssMb.toFixed(1)} | ${r.peakRssMb.toFixed(1)} | ${r.bytes} |`;
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  console.log(`Machine: ${cpus().length} x ${cpus()[0].model}, Node.js ${process.version}`);
  console.log(
    `${scrapes} scrapes each, interleaved, gzip; collectors (${collectors.length}): ${collectors.join(' ')}\n`,
  );
  console.log(
    '| exporter | median ms | p99 ms | CPU ms/scrape | RSS MB, settled | RSS MB, after the burst | peak RSS MB | gzip bytes |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  console.log(row(ne));
  console.log(row(ours));
  console.log(
    `\nratios harvester/node_exporter: median ${ratio(percentile(ours.wallMs, 50), percentile(ne.wallMs, 50))} ` +
      `(target <= 1.00), p99 ${ratio(percentile(ours.wallMs, 99), percentile(ne.wallMs, 99))}, ` +
      `CPU/scrape ${ratio(ours.cpuMsPerScrape, ne.cpuMsPerScrape)} (target <= 1.50), ` +
      `RSS settled ${ours.settledRssMb.toFixed(1)} MB, after the burst ${ours.rssMb.toFixed(1)} MB, peak ${ours.peakRssMb.toFixed(1)} MB (target <= 60 MB)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
