// Prints which metrics of the Node Exporter Full dashboard the agent emits: on this machine,
// and on the fixture trees of the tests (which hold the hardware this machine lacks: hwmon,
// cpufreq, power supplies…). nef-metrics.tsv lists the dashboard's metrics and the
// node_exporter collector behind each (from the project's research notes).
//
//   npm run coverage:nef

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '@nester/common/config/flags';
import { createLogger } from '@nester/common/log/logger';
import { COLLECTORS } from '../src/collectors/index';
import { buildScraper, serveFlags } from '../src/commands/serve';
import { processFamilies } from '../src/self/process-metrics';

const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures');
const TABLE = join(__dirname, '..', '..', 'tools', 'nef-metrics.tsv');

interface Row {
  metric: string;
  collector: string;
  defaultUpstream: boolean;
  note: string;
}

async function emitted(pathArgs: string[]): Promise<Set<string>> {
  const all = COLLECTORS.map((collector) => `--collector.${collector.name}`);
  const { values } = parseArgs(serveFlags(), [...all, ...pathArgs]);
  const scraper = buildScraper(values, createLogger({ name: 'coverage', level: 'silent' }));
  const families = await scraper.scrape();
  return new Set(families.filter((family) => family.samples.length > 0).map((family) => family.name));
}

function fixtureTrees(): string[] {
  if (!existsSync(FIXTURES)) return [];
  return readdirSync(FIXTURES)
    .map((name) => join(FIXTURES, name))
    .filter((dir) => existsSync(join(dir, 'proc')) || existsSync(join(dir, 'sys')));
}

async function main() {
  const rows: Row[] = readFileSync(TABLE, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .map(([metric, collector, , defaultUpstream, note]) => ({
      metric,
      collector,
      defaultUpstream: defaultUpstream === 'yes',
      note: note ?? '',
    }));

  const live = await emitted([]);
  for (const family of processFamilies('coverage')) live.add(family.name);
  const onFixtures = new Set<string>();
  for (const tree of fixtureTrees()) {
    const paths = ['proc', 'sys'].filter((sub) => existsSync(join(tree, sub)));
    for (const name of await emitted(paths.map((sub) => `--path.${sub}fs=${join(tree, sub)}`))) onFixtures.add(name);
  }
  const implemented = new Set(COLLECTORS.map((collector) => collector.name));

  const status = (row: Row) => {
    if (live.has(row.metric)) return 'emitted on this machine';
    if (onFixtures.has(row.metric)) return 'emitted on test fixtures (hardware absent here)';
    if (row.collector.startsWith('(') || implemented.has(row.collector)) return 'NOT emitted';
    return row.defaultUpstream ? 'collector not implemented' : 'collector off by default upstream; not implemented';
  };
  const counted = rows.filter((row) => row.defaultUpstream || row.collector.startsWith('('));
  const covered = counted.filter((row) => live.has(row.metric) || onFixtures.has(row.metric));

  console.log('| metric | collector | status | note |\n|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.metric} | ${row.collector} | ${status(row)} | ${row.note} |`);
  console.log(
    `\nNode Exporter Full metrics from node_exporter's default collectors and its own metrics: ` +
      `${covered.length}/${counted.length} emitted (${live.size} families on this machine, ${fixtureTrees().length} fixture trees).`,
  );
  const missing = counted.filter((row) => !covered.includes(row));
  if (missing.length)
    console.log(`Not emitted: ${missing.map((row) => `${row.metric} (${row.note || row.collector})`).join(', ')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
