// End-to-end: the real Prometheus scrapes the agent; its output passes promtool's checks.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { eventually } from '@nester/testing/services';
import { type RunningHarvester, scrape, startHarvester } from '@nester/testing/harvester';
import { startNodeExporter } from '../support/node-exporter';
import { type RunningPrometheus, startPrometheus } from '@nester/testing/prometheus';

let agent: RunningHarvester;
let prometheus: RunningPrometheus;

beforeAll(async () => {
  agent = await startHarvester();
  prometheus = await startPrometheus(`
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: harvester
    static_configs:
      - targets: ['127.0.0.1:${agent.port}']
`);
}, 30_000);

afterAll(async () => {
  await Promise.all([prometheus?.stop(), agent?.service.stop()]);
});

test('Prometheus scrapes the agent: the target is up and queries return its series', async () => {
  const up = await eventually(async () => {
    const [sample] = await prometheus.query('up{job="harvester"}');
    return sample?.value[1] === '1' ? sample : undefined;
  }, 'the harvester target to be up');
  expect(up.metric.instance).toBe(`127.0.0.1:${agent.port}`);

  const memTotalKb = Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]);
  const [mem] = await prometheus.query('node_memory_MemTotal_bytes{job="harvester"}');
  expect(Number(mem.value[1])).toBe(memTotalKb * 1024);

  const cpus = await prometheus.query('count by (job) (count by (cpu) (node_cpu_seconds_total{job="harvester"}))');
  expect(Number(cpus[0].value[1])).toBe(Number(execFileSync('nproc', ['--all'], { encoding: 'utf8' })));
}, 30_000);

/** promtool's complaints, one per line, without the ones about names node_exporter itself must use. */
function promtoolProblems(exposition: string): string[] {
  const run = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 3) throw new Error(`promtool failed to parse the output: ${run.stderr}`);
  return `${run.stdout}${run.stderr}`.split('\n').filter((line) => line.trim() !== '');
}

test("promtool check metrics finds nothing in our output that it does not find in node_exporter's", async () => {
  const exporter = await startNodeExporter([]);
  try {
    const theirs = new Set(promtoolProblems(await scrape(exporter.url)));
    const ours = promtoolProblems(await scrape(agent.url));
    // node_exporter's own output draws lint warnings (camelCase names such as node_memory_MemTotal_bytes,
    // "bits" units) that compatibility requires us to repeat; anything else would be ours alone.
    expect(ours.filter((problem) => !theirs.has(problem))).toEqual([]);
  } finally {
    await exporter.service.stop();
  }
}, 30_000);
