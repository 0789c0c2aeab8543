// End-to-end: our agent and Debian's node_exporter on the same machine, the same collectors
// enabled on both, scraped back to back.

import { type ParsedFamily, parseText } from '../../src/exposition/parse';
import { COLLECTORS } from '../../src/collectors/index';
import { type RunningHarvester, scrape, startHarvester } from '@nester/testing/harvester';
import { compareScrapes } from '../support/compare';
import { nodeExporterCollectors, startNodeExporter, UPSTREAM_DEFAULTS } from '../support/node-exporter';
import type { Service } from '@nester/testing/services';

const shared = COLLECTORS.map((c) => c.name).filter((name) => nodeExporterCollectors().includes(name));
const enable = ['--collector.disable-defaults', ...shared.map((name) => `--collector.${name}`)];

let agent: RunningHarvester;
let exporter: { service: Service; url: string };

beforeAll(async () => {
  [agent, exporter] = await Promise.all([startHarvester(enable), startNodeExporter([...enable, ...UPSTREAM_DEFAULTS])]);
  // First scrapes warm both up (node_exporter's first cpu read seeds its jump-back state, as ours does).
  await Promise.all([scrape(agent.url), scrape(exporter.url)]);
}, 30_000);

afterAll(async () => {
  await Promise.all([agent?.service.stop(), exporter?.service.stop()]);
});

test('the agent compares against node_exporter on every collector both have', () => {
  expect(shared.length).toBe(COLLECTORS.length);
});

test('same metric families, types, help, label sets and values as node_exporter', async () => {
  // Other processes on a busy machine move system-wide gauges (Committed_AS jumps by hundreds of
  // MB when a test worker starts) between the three scrapes; a real difference shows in every
  // round, such noise in one. So: up to five rounds, and the last round's differences must be none.
  let differences: ReturnType<typeof compareScrapes> = [];
  let ours = new Map<string, ParsedFamily>();
  for (let round = 0; round < 5; round++) {
    const before = parseText(await scrape(exporter.url));
    ours = parseText(await scrape(agent.url));
    const after = parseText(await scrape(exporter.url));
    differences = compareScrapes(before, ours, after);
    if (differences.length === 0) break;
  }
  expect(differences).toEqual([]);
  expect(ours.get('node_scrape_collector_success')?.samples.length).toBe(shared.length);
});

test('values that cannot move are exactly equal', async () => {
  const [theirs, ours] = (await Promise.all([scrape(exporter.url), scrape(agent.url)])).map(parseText);
  for (const name of [
    'node_memory_MemTotal_bytes',
    'node_boot_time_seconds',
    'node_filesystem_size_bytes',
    'node_uname_info',
  ]) {
    if (!theirs.has(name)) continue;
    expect(ours.get(name)?.samples).toEqual(theirs.get(name)?.samples);
  }
  const cpus = (scrape: typeof ours) => new Set(scrape.get('node_cpu_seconds_total')?.samples.map((s) => s.labels.cpu));
  expect(cpus(ours)).toEqual(cpus(theirs));
});
