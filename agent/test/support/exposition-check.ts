// A strict reading of the text exposition format 0.0.4 as the agent must write it: every family a
// HELP line, then a TYPE line, then its samples, once; valid names; labels escaped, unique and
// valid; no series twice; values as Go writes floats. Used by fuzz tests on the agent's output.

import { parseText } from '../../src/exposition/parse';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const VALUE = /^(?:NaN|[+-]Inf|-?\d+(?:\.\d+)?(?:e[+-]\d{2,})?)$/;

/** What is wrong with `text`, line by line; empty when it is a valid exposition. */
export function expositionProblems(text: string): string[] {
  const problems: string[] = [];
  if (text !== '' && !text.endsWith('\n')) problems.push('does not end with a newline');
  const families = new Set<string>();
  let current: { name: string; stage: 'help' | 'type' | 'samples'; series: Set<string> } | undefined;
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((line, index) => {
    const at = `line ${index + 1}`;
    const help = /^# HELP (\S+) (.*)$/.exec(line);
    if (help) {
      if (current?.stage === 'help' || current?.stage === 'type') problems.push(`${at}: family without samples`);
      if (!NAME.test(help[1])) problems.push(`${at}: invalid family name`);
      if (families.has(help[1])) problems.push(`${at}: family ${help[1]} appears twice`);
      if (/\\(?![\\n])/.test(help[2].replace(/\\\\/g, ''))) problems.push(`${at}: bad escape in HELP`);
      families.add(help[1]);
      current = { name: help[1], stage: 'type', series: new Set() };
      return;
    }
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      if (current?.stage !== 'type' || current.name !== type[1]) problems.push(`${at}: TYPE not right after its HELP`);
      if (!['counter', 'gauge', 'untyped'].includes(type[2])) problems.push(`${at}: unexpected type ${type[2]}`);
      if (current) current.stage = 'samples';
      return;
    }
    if (!current || current.stage !== 'samples') {
      problems.push(`${at}: sample before its family's HELP and TYPE`);
      return;
    }
    const sample = sampleProblems(line, current.name);
    if (typeof sample === 'string') problems.push(`${at}: ${sample}`);
    else if (current.series.has(sample.key)) problems.push(`${at}: series appears twice`);
    else current.series.add(sample.key);
  });
  if (current && current.stage !== 'samples') problems.push('last family without samples');
  if (problems.length === 0) {
    try {
      parseText(text);
    } catch (err) {
      problems.push(`the agent's parser refuses it: ${(err as Error).message}`);
    }
  }
  return problems;
}

function sampleProblems(line: string, family: string): string | { key: string } {
  if (!line.startsWith(family) || !/^[{ ]/.test(line.slice(family.length, family.length + 1))) {
    return 'sample of another family';
  }
  let i = family.length;
  const names: string[] = [];
  let key = '';
  if (line[i] === '{') {
    i++;
    while (line[i] !== '}') {
      const name = /^[^=]*/.exec(line.slice(i))![0];
      if (!LABEL_NAME.test(name) || name.startsWith('__')) return 'invalid label name';
      if (names.includes(name)) return 'label twice';
      names.push(name);
      i += name.length;
      if (line.slice(i, i + 2) !== '="') return 'label without a quoted value';
      i += 2;
      const start = i;
      for (;;) {
        const c = line[i];
        if (c === undefined) return 'unterminated label value';
        if (c === '"') break;
        if (c === '\\') {
          if (!['\\', '"', 'n'].includes(line[i + 1])) return 'bad escape in a label value';
          i++;
        }
        i++;
      }
      key += `${name}=${line.slice(start, i)}\u0000`;
      i++;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') return 'labels not separated by commas';
    }
    i++;
  }
  if (line[i] !== ' ') return 'no space before the value';
  if (!VALUE.test(line.slice(i + 1))) return 'value not written as Go writes floats';
  return { key };
}
