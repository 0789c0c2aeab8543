// A strict reader of the Prometheus text format for the textfile collector: a file that
// expfmt's TextParser would reject is rejected whole, with the line and the reason. The reason
// never quotes the file: the directory may hold a symbolic link to a file the agent can read and
// its log readers cannot (/etc/shadow), and a parse error must not copy a line of it to the log.

import { isUtf8 } from 'node:buffer';
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

/** Why a file is not in the text format, and where: never what the line says. */
export class TextFormatError extends Error {
  override name = 'TextFormatError';

  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`text format parsing error in line ${line}: ${reason}`);
  }
}

/** The file holds more samples than the caller allowed (parsing stops there). */
export class TooManySamplesError extends Error {
  override name = 'TooManySamplesError';
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const TYPES = new Set(['counter', 'gauge', 'untyped', 'summary', 'histogram']);
// One way to match each number, so that a long run of digits cannot make the regex backtrack.
const FLOAT = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const INFINITY = /^[-+]?inf(?:inity)?$/i;
const SUFFIXES = ['_bucket', '_sum', '_count'];

const utf8 = new TextDecoder('utf-8');

/**
 * The file's text. Like expfmt, a sample or TYPE line that is not valid UTF-8 rejects the file;
 * comments and HELP texts keep their valid parts (the rest becomes U+FFFD).
 */
export function decodeTextfile(data: Buffer): string {
  if (isUtf8(data)) return utf8.decode(data);
  for (let start = 0, line = 1; start < data.length; line++) {
    const newline = data.indexOf(0x0a, start);
    const end = newline < 0 ? data.length : newline;
    const bytes = data.subarray(start, end);
    if (!isUtf8(bytes) && !isComment(bytes)) throw new TextFormatError(line, 'invalid UTF-8');
    start = end + 1;
  }
  return utf8.decode(data);
}

function isComment(line: Buffer): boolean {
  for (const byte of line) {
    if (byte !== 0x20 && byte !== 0x09) return byte === 0x23; // '#'
  }
  return false;
}

export function parseTextFormat(text: string, maxSamples = Infinity): TextFamily[] {
  const families = new Map<string, TextFamily>();
  const withSamples = new Set<string>();
  const family = (name: string) => {
    let found = families.get(name);
    if (!found) families.set(name, (found = { name, type: 'untyped', samples: [], hasTimestamp: false }));
    return found;
  };
  let index = 0;
  let samples = 0;
  for (let start = 0; start <= text.length; index++) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const raw = text.slice(start, end);
    start = end + 1;
    const fail = (why: string): never => {
      throw new TextFormatError(index + 1, why);
    };
    const line = raw.replace(/^[ \t]+/, '');
    if (line === '' || /^[ \t\r]*$/.test(line)) continue;
    if (line.startsWith('#')) {
      const match = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line);
      if (!match) continue;
      const [, keyword, name, rest = ''] = match;
      if (!NAME.test(name)) fail(`invalid metric name in ${keyword} line`);
      const fam = family(name);
      if (keyword === 'HELP') {
        if (fam.help !== undefined) fail('second HELP line for a metric name');
        fam.help = unescapeHelp(rest, fail);
      } else {
        if (withSamples.has(name)) fail('TYPE line for a metric name must come before its samples');
        const type = rest.trim();
        if (!TYPES.has(type)) fail('unknown metric type');
        if (fam.type !== 'untyped' || families.get(name)?.samples.length) fail('second TYPE line for a metric name');
        fam.type = type as TextType;
      }
      continue;
    }
    const nameEnd = line.search(/[{ \t]/);
    const sampleName = nameEnd < 0 ? line : line.slice(0, nameEnd);
    if (!NAME.test(sampleName)) fail('invalid metric name');
    let rest = nameEnd < 0 ? '' : line.slice(nameEnd);
    const labels: Labels = {};
    if (rest.startsWith('{')) {
      rest = parseLabels(rest, labels, fail);
    }
    const parts = rest.trim().split(/[ \t]+/);
    if (parts[0] === '' || parts.length > 2) fail('expected a value and an optional timestamp');
    const value = parseValue(parts[0], fail);
    const fam = family(familyName(sampleName, families));
    if (parts.length === 2) {
      if (!/^-?\d+$/.test(parts[1])) fail('invalid timestamp');
      fam.hasTimestamp = true;
    }
    if (++samples > maxSamples) throw new TooManySamplesError(`more than ${maxSamples} samples`);
    withSamples.add(fam.name);
    fam.samples.push({ labels, value });
  }
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
    LABEL_NAME.lastIndex = i;
    const nameMatch = LABEL_NAME.exec(text);
    if (!nameMatch) fail('invalid label name');
    const name = nameMatch[0];
    i += name.length;
    skipSpace();
    if (text[i] !== '=') fail("expected '=' after a label name");
    i++;
    skipSpace();
    if (text[i] !== '"') fail("expected '\"' to start a label value");
    i++;
    let value = '';
    for (let from = i; ; i++) {
      const c = text[i];
      if (c === undefined) fail('unterminated label value');
      if (c === '"') {
        value += text.slice(from, i++);
        break;
      }
      if (c !== '\\') continue;
      value += text.slice(from, i);
      const next = text[++i];
      if (next === '\\' || next === '"') value += next;
      else if (next === 'n') value += '\n';
      else fail('invalid escape sequence in a label value');
      from = i + 1;
    }
    if (name.startsWith('__')) fail('label names starting with "__" are reserved');
    if (Object.hasOwn(labels, name)) fail('duplicate label name');
    labels[name] = value;
    skipSpace();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail("expected ',' or '}' after a label value");
  }
}

/** Go's strconv.ParseFloat, as expfmt calls it (no hexadecimal, no underscores). */
function parseValue(text: string, fail: (why: string) => never): number {
  if (FLOAT.test(text)) return Number(text);
  if (INFINITY.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (text.toLowerCase() === 'nan') return NaN;
  return fail('expected a float as value');
}

function unescapeHelp(text: string, fail: (why: string) => never): string {
  return text.replace(/\\(.?)/g, (_, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    return fail('invalid escape sequence in HELP');
  });
}
