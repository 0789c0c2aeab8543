// A strict reader of the Prometheus text format for the textfile collector: a file that
// expfmt's TextParser would reject is rejected whole, with the line and the reason.

import type { Labels, Sample } from '../metrics/family';

export type TextType = 'counter' | 'gauge' | 'untyped' | 'summary' | 'histogram';

export interface TextFamily {
  name: string;
  help?: string;
  type: TextType;
  samples: Sample[];
  /** Set when a sample carried a timestamp, which the textfile collector refuses. */
  hasTimestamp: boolean;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'untyped', 'summary', 'histogram']);
const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const SUFFIXES = ['_bucket', '_sum', '_count'];

export function parseTextFormat(text: string): TextFamily[] {
  const families = new Map<string, TextFamily>();
  const withSamples = new Set<string>();
  const family = (name: string) => {
    let found = families.get(name);
    if (!found) families.set(name, (found = { name, type: 'untyped', samples: [], hasTimestamp: false }));
    return found;
  };
  text.split('\n').forEach((raw, index) => {
    const fail = (why: string): never => {
      throw new Error(`text format parsing error in line ${index + 1}: ${why}`);
    };
    const line = raw.replace(/^[ \t]+/, '');
    if (line === '' || /^[ \t\r]*$/.test(line)) return;
    if (line.startsWith('#')) {
      const match = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line);
      if (!match) return;
      const [, keyword, name, rest = ''] = match;
      if (!NAME.test(name)) fail(`invalid metric name "${name}"`);
      const fam = family(name);
      if (keyword === 'HELP') {
        if (fam.help !== undefined) fail(`second HELP line for metric name "${name}"`);
        fam.help = unescapeHelp(rest, fail);
      } else {
        if (withSamples.has(name)) fail(`TYPE line for metric name "${name}" must come before its samples`);
        const type = rest.trim();
        if (!TYPES.has(type)) fail(`unknown metric type "${type}"`);
        if (fam.type !== 'untyped' || families.get(name)?.samples.length)
          fail(`second TYPE line for metric name "${name}"`);
        fam.type = type as TextType;
      }
      return;
    }
    const nameEnd = line.search(/[{ \t]/);
    const sampleName = nameEnd < 0 ? line : line.slice(0, nameEnd);
    if (!NAME.test(sampleName)) fail(`invalid metric name "${sampleName}"`);
    let rest = nameEnd < 0 ? '' : line.slice(nameEnd);
    const labels: Labels = {};
    if (rest.startsWith('{')) {
      rest = parseLabels(rest, labels, fail);
    }
    const parts = rest.trim().split(/[ \t]+/);
    if (parts[0] === '' || parts.length > 2) fail(`expected a value and an optional timestamp, got "${rest.trim()}"`);
    const value = parseValue(parts[0], fail);
    const fam = family(familyName(sampleName, families));
    if (parts.length === 2) {
      if (!/^-?\d+$/.test(parts[1])) fail(`invalid timestamp "${parts[1]}"`);
      fam.hasTimestamp = true;
    }
    withSamples.add(fam.name);
    fam.samples.push({ labels, value });
  });
  return [...families.values()].filter((fam) => fam.samples.length > 0);
}

/** `x_bucket`, `x_sum` and `x_count` belong to x when x is a histogram or summary. */
function familyName(sample: string, families: Map<string, TextFamily>): string {
  for (const suffix of SUFFIXES) {
    if (!sample.endsWith(suffix)) continue;
    const base = families.get(sample.slice(0, -suffix.length));
    if (base && (base.type === 'histogram' || (base.type === 'summary' && suffix !== '_bucket'))) return base.name;
  }
  return sample;
}

function parseLabels(text: string, labels: Labels, fail: (why: string) => never): string {
  let i = 1;
  const skipSpace = () => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  for (;;) {
    skipSpace();
    if (text[i] === '}') return text.slice(i + 1);
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
    if (!nameMatch) fail(`invalid label name in "${text}"`);
    const name = nameMatch![0];
    i += name.length;
    skipSpace();
    if (text[i] !== '=') fail(`expected '=' after label name "${name}"`);
    i++;
    skipSpace();
    if (text[i] !== '"') fail(`expected '"' to start the value of label "${name}"`);
    i++;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) fail(`unterminated value of label "${name}"`);
      i++;
      if (c === '"') break;
      if (c === '\\') {
        const next = text[i++];
        if (next === '\\' || next === '"') value += next;
        else if (next === 'n') value += '\n';
        else fail(`invalid escape sequence '\\${next}' in label value`);
      } else {
        value += c;
      }
    }
    if (!LABEL_NAME.test(name) || name.startsWith('__')) fail(`invalid label name "${name}"`);
    if (name in labels) fail(`duplicate label name "${name}"`);
    labels[name] = value;
    skipSpace();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail(`expected ',' or '}' after the value of label "${name}"`);
  }
}

function parseValue(text: string, fail: (why: string) => never): number {
  if (FLOAT.test(text)) return Number(text);
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  return fail(`expected float as value, got "${text}"`);
}

function unescapeHelp(text: string, fail: (why: string) => never): string {
  return text.replace(/\\(.?)/g, (_, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    return fail(`invalid escape sequence '\\${c}' in HELP`);
  });
}
