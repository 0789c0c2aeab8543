// A parser for the text exposition format (the subset node_exporter and prom-client write:
// HELP, TYPE, samples without timestamps), used to read textfile-collector files and, in
// tests, to compare our output with node_exporter's.

import type { MetricFamily, MetricType, Sample } from '../metrics/family';

export interface ParsedFamily extends Omit<MetricFamily, 'type'> {
  type: MetricType | 'summary' | 'histogram';
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?\s*$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;

export function parseText(text: string): Map<string, ParsedFamily> {
  const families = new Map<string, ParsedFamily>();
  const familyOf = (name: string) => {
    let fam = families.get(name);
    if (!fam) {
      fam = { name, help: '', type: 'untyped', samples: [] };
      families.set(name, fam);
    }
    return fam;
  };
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `line ${index + 1}`;
    if (line.startsWith('#')) {
      const [, keyword, name, ...rest] = line.split(/\s+/);
      if (keyword === 'HELP' && name) familyOf(name).help = unescape(line.slice(line.indexOf(name) + name.length + 1));
      else if (keyword === 'TYPE' && name) familyOf(name).type = parseType(rest[0], where);
      return;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`${where}: not a sample: ${line}`);
    const [, name, labelText, valueText] = match;
    familyOf(baseName(name, families)).samples.push({
      labels: labelText ? parseLabels(labelText, where) : {},
      value: parseValue(valueText, where),
    } satisfies Sample);
  });
  return families;
}

/** Histogram and summary samples (`_bucket`, `_sum`, `_count`) belong to their family. */
function baseName(name: string, families: Map<string, ParsedFamily>): string {
  const match = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (match && ['histogram', 'summary'].includes(families.get(match[1])?.type ?? '')) return match[1];
  return name;
}

function parseType(text: string | undefined, where: string): ParsedFamily['type'] {
  if (text === 'counter' || text === 'gauge' || text === 'untyped' || text === 'summary' || text === 'histogram') {
    return text;
  }
  throw new Error(`${where}: unknown metric type "${text}"`);
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const start = LABEL.lastIndex;
    const match = LABEL.exec(text);
    if (!match || LABEL.lastIndex === start) throw new Error(`${where}: malformed labels {${text}}`);
    if (Object.hasOwn(labels, match[1])) throw new Error(`${where}: duplicate label ${match[1]}`);
    labels[match[1]] = unescape(match[2]);
    if (match[3] === '') break;
  }
  return labels;
}

function parseValue(text: string, where: string): number {
  // Spelled as Go's strconv.ParseFloat accepts them (prom-client writes "Nan").
  if (/^\+?inf(inity)?$/i.test(text)) return Infinity;
  if (/^-inf(inity)?$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`${where}: "${text}" is not a number`);
  return value;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}
