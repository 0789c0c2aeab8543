// Test support for the collectors: run collectors on a fixture tree with command-line flags
// exactly as the agent would, and read the node_exporter 1.5.0 output recorded for the
// same tree (test/fixtures/expected, made by test/fixtures/golden.js).

import { parseArgs } from '@nester/common/config/flags';
import type { Logger } from '@nester/common/log/logger';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CollectorDefinition } from '../../src/collectors/collector';
import { COLLECTORS } from '../../src/collectors/index';
import { SERVE_FLAGS, withCollectorFlags } from '../../src/config/flags';
import { writeText } from '../../src/exposition/text';
import type { MetricFamily } from '../../src/metrics/family';
import type { Paths } from '../../src/procfs/paths';
import { Scraper } from '../../src/scrape/scrape';
import { memoryLogger } from './memory-logger';

export const AGENT_DIR = resolve(__dirname, '../..');
export const FIXTURES = join(AGENT_DIR, 'test/fixtures');
const TEXTFILE_MTIME = 1700000000;

interface GoldenCase {
  name: string;
  root: string;
  args: string[];
}

export function fixturePaths(root: string): Paths {
  const dir = join(FIXTURES, root);
  return { procfs: `${dir}/proc`, sysfs: `${dir}/sys`, rootfs: `${dir}/rootfs`, udevData: `${dir}/udev` };
}

/** Builds one collector from agent-style arguments (`--collector.x.y=z`). */
export function createCollector(definition: CollectorDefinition, paths: Paths, args: string[] = [], log?: Logger) {
  const { values } = parseArgs(withCollectorFlags(SERVE_FLAGS, COLLECTORS), args);
  return definition.create({ paths, flags: values, log: log ?? memoryLogger().log });
}

export async function collect(
  definition: CollectorDefinition,
  paths: Paths,
  args: string[] = [],
): Promise<MetricFamily[]> {
  return createCollector(definition, paths, args)();
}

/** The exposition of a scrape with the collectors the arguments enable, durations left out. */
export async function scrapeText(paths: Paths, args: string[], log?: Logger): Promise<string> {
  const { values } = parseArgs(withCollectorFlags(SERVE_FLAGS, COLLECTORS), args);
  const logger = log ?? memoryLogger().log;
  const enabled = COLLECTORS.filter((definition) => values[`collector.${definition.name}`] === true).map(
    (definition) => ({
      name: definition.name,
      collect: definition.create({ paths, flags: values, log: logger }),
      foreign: definition.foreign,
    }),
  );
  const text = writeText(await new Scraper(enabled, logger).scrape());
  return text
    .split('\n')
    .filter((line) => !/^(# (HELP|TYPE) )?node_scrape_collector_duration_seconds\b/.test(line))
    .join('\n');
}

function goldenCases(prefix: string): GoldenCase[] {
  const cases: GoldenCase[] = JSON.parse(readFileSync(join(FIXTURES, 'golden-cases.json'), 'utf8'));
  return cases.filter((testCase) => testCase.args[0] === `--collector.${prefix}`);
}

/**
 * One test per golden case of the collector (golden-cases.json): our scrape of the fixture tree is
 * byte for byte node_exporter 1.5.0's recorded one.
 */
export function itMatchesNodeExporter(collector: string): void {
  it.each(goldenCases(collector))('exposes what node_exporter 1.5.0 exposes ($name)', async (testCase) => {
    const { ours, theirs } = await runGoldenCase(testCase);
    expect(ours).toBe(theirs);
  });
}

/** Our scrape of a golden case next to node_exporter's recorded one. */
async function runGoldenCase(testCase: GoldenCase): Promise<{ ours: string; theirs: string }> {
  for (const name of ['a.prom', 'b.prom', 'c.prom', 'd.prom']) {
    utimesSync(join(FIXTURES, 'textfiles', name), TEXTFILE_MTIME, TEXTFILE_MTIME);
  }
  // Relative paths in the arguments are relative to agent/, as when golden.js ran node_exporter.
  const args = testCase.args.map((arg) => arg.replace('=test/fixtures/', `=${FIXTURES}/`));
  const ours = (await scrapeText(fixturePaths(testCase.root), args)).replaceAll(`${AGENT_DIR}/`, '');
  const theirs = readFileSync(join(FIXTURES, 'expected', `${testCase.name}.prom`), 'utf8');
  return { ours, theirs };
}

/** A throw-away directory holding the given files (path → content), for edge cases. */
export function tempTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'harvester-collector-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Paths whose proc and sys are the given temporary trees (or the empty vm/rootfs). */
export function tempPaths(proc: Record<string, string> = {}, sys: Record<string, string> = {}): Paths {
  const dir = tempTree({
    ...Object.fromEntries(Object.entries(proc).map(([path, text]) => [`proc/${path}`, text])),
    ...Object.fromEntries(Object.entries(sys).map(([path, text]) => [`sys/${path}`, text])),
  });
  mkdirSync(join(dir, 'proc'), { recursive: true });
  mkdirSync(join(dir, 'sys'), { recursive: true });
  return {
    procfs: join(dir, 'proc'),
    sysfs: join(dir, 'sys'),
    rootfs: join(dir, 'rootfs'),
    udevData: join(dir, 'udev'),
  };
}

/** The exposition of one collector's families on the given paths, as a scrape would show it. */
export async function collectText(definition: CollectorDefinition, paths: Paths, args: string[] = []): Promise<string> {
  return writeText(await collect(definition, paths, args));
}
