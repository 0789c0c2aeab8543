// Prometheus text exposition format 0.0.4, ordered the way client_golang orders it: families
// by name, label pairs by name, series by their label values compared as strings.

import type { MetricFamily, Sample } from '../metrics/family';
import { formatFloat } from './float';

export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function writeText(families: MetricFamily[]): string {
  const merged = mergeFamilies(families);
  const out: string[] = [];
  for (const fam of merged) {
    if (fam.samples.length === 0) continue;
    out.push(`# HELP ${fam.name} ${escapeHelp(fam.help)}\n# TYPE ${fam.name} ${fam.type}\n`);
    const rows = fam.samples.map((sample) => ({ sample, pairs: sortedPairs(sample) }));
    rows.sort((a, b) => comparePairs(a.pairs, b.pairs));
    for (const { sample, pairs } of rows) {
      out.push(fam.name);
      if (pairs.length) out.push(`{${pairs.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`);
      out.push(` ${formatFloat(sample.value)}\n`);
    }
  }
  return out.join('');
}

/** Families of the same name (several collectors may add to one) become one, sorted by name. */
function mergeFamilies(families: MetricFamily[]): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  for (const fam of families) {
    const existing = byName.get(fam.name);
    if (existing) existing.samples = existing.samples.concat(fam.samples);
    else byName.set(fam.name, { ...fam });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function sortedPairs(sample: Sample): [string, string][] {
  return Object.entries(sample.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** client_golang's metricSorter: fewer labels first (inconsistent families), then values. */
function comparePairs(a: [string, string][], b: [string, string][]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    if (a[i][1] !== b[i][1]) return a[i][1] < b[i][1] ? -1 : 1;
  }
  return 0;
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabel(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
