// Reads the PromQL the adapter evaluates into builder fields: a selector, optionally inside one
// range function, optionally inside one aggregation:
//   metric{a="b"}   rate(metric{a="b"}[5m])   sum by (instance) (rate(metric[5m]))
// Dashboard variables ($var, ${var}, [[var]]) may stand for a metric or label name or a range;
// inside strings they are left for interpolation, which escapes them (interpolate.ts).
import {
  AGGREGATIONS,
  Aggregation,
  AggregationOp,
  BuilderFields,
  LabelMatcher,
  MATCH_OPS,
  MatchOp,
  RANGE_FUNCTIONS,
  RangeFunction,
} from '../types';

export class ExprError extends Error {}

const WORD = /^(?:[a-zA-Z_:][a-zA-Z0-9_:]*|\$\w+|\$\{[^}]+\}|\[\[[^\]]+\]\])/;
const DURATION = /^(?:\d+(?:ms|s|m|h|d|w|y))+/;
const SUPPORTED =
  'the adapter evaluates a selector, one range function and one aggregation (no binary operators, offset or subqueries yet)';

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  space() {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) {
      this.pos++;
    }
  }
  peek(): string {
    this.space();
    return this.text[this.pos] ?? '';
  }
  fail(message: string): never {
    const near = this.text.slice(this.pos, this.pos + 20);
    throw new ExprError(`${message} at character ${this.pos + 1}${near ? ` ("${near}")` : ''}`);
  }
  expect(char: string) {
    if (this.peek() !== char) {
      this.fail(`expected "${char}"`);
    }
    this.pos++;
  }
  take(char: string): boolean {
    if (this.peek() === char) {
      this.pos++;
      return true;
    }
    return false;
  }
  match(pattern: RegExp): string | undefined {
    this.space();
    const found = pattern.exec(this.text.slice(this.pos));
    if (!found) {
      return undefined;
    }
    this.pos += found[0].length;
    return found[0];
  }
  word(): string | undefined {
    return this.match(WORD);
  }
  /** A string literal in double quotes, single quotes or backticks, unescaped. */
  string(): string {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'" && quote !== '`') {
      this.fail('expected a quoted label value');
    }
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) {
        this.fail('unterminated string');
      }
      if (c === quote) {
        return out;
      }
      if (c !== '\\' || quote === '`') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"', "'": "'" };
      if (e === undefined || !(e in simple)) {
        this.fail(`unsupported escape \\${e ?? ''}`);
      }
      out += simple[e];
    }
  }
}

function matchers(reader: Reader): LabelMatcher[] {
  const list: LabelMatcher[] = [];
  reader.expect('{');
  while (!reader.take('}')) {
    const label = reader.word() ?? reader.fail('expected a label name');
    const op = reader.match(/^(=~|!~|!=|=)/) ?? reader.fail('expected one of = != =~ !~');
    if (!(MATCH_OPS as readonly string[]).includes(op)) {
      reader.fail(`unknown operator ${op}`);
    }
    list.push({ label, op: op as MatchOp, value: reader.string() });
    if (!reader.take(',') && reader.peek() !== '}') {
      reader.fail('expected , or }');
    }
  }
  return list;
}

function selector(reader: Reader, name?: string): Pick<BuilderFields, 'metric' | 'matchers'> {
  const metric = name ?? (reader.peek() === '{' ? undefined : reader.word());
  const list = reader.peek() === '{' ? matchers(reader) : [];
  if (!metric && !list.length) {
    reader.fail(`expected a metric name or {label matchers}; ${SUPPORTED}`);
  }
  return { metric, matchers: list };
}

function grouping(reader: Reader, op: AggregationOp): Aggregation | undefined {
  const mode = reader.match(/^(by|without)\b/) as 'by' | 'without' | undefined;
  if (!mode) {
    return undefined;
  }
  reader.expect('(');
  const labels: string[] = [];
  while (!reader.take(')')) {
    labels.push(reader.word() ?? reader.fail('expected a label name'));
    if (!reader.take(',') && reader.peek() !== ')') {
      reader.fail('expected , or )');
    }
  }
  return { op, mode, labels };
}

/** fn(selector[range]) or a plain selector, with the first word already read. */
function inner(reader: Reader, word: string | undefined): BuilderFields {
  if (word && (RANGE_FUNCTIONS as readonly string[]).includes(word) && reader.peek() === '(') {
    reader.expect('(');
    const fields: BuilderFields = { ...selector(reader), function: word as RangeFunction };
    reader.expect('[');
    fields.range = reader.match(DURATION) ?? reader.word() ?? reader.fail('expected a range such as 5m');
    reader.expect(']');
    reader.expect(')');
    return fields;
  }
  if (word && reader.peek() === '(') {
    reader.fail(`${word}() is not supported; ${SUPPORTED}`);
  }
  const fields = selector(reader, word);
  if (reader.peek() === '[') {
    reader.fail(`a range selector needs a range function around it, e.g. rate(…[5m])`);
  }
  return fields;
}

export function parseExpr(text: string): BuilderFields {
  const reader = new Reader(text);
  const word = reader.word();
  let fields: BuilderFields;
  if (
    word &&
    (AGGREGATIONS as readonly string[]).includes(word) &&
    /^\s*(\(|by\b|without\b)/.test(text.slice(reader.pos))
  ) {
    const op = word as AggregationOp;
    const before = grouping(reader, op);
    reader.expect('(');
    fields = inner(reader, reader.word());
    reader.expect(')');
    const after = grouping(reader, op);
    if (before && after) {
      reader.fail('by/without given twice');
    }
    fields.aggregation = before ?? after ?? { op, mode: 'by', labels: [] };
  } else {
    fields = inner(reader, word);
  }
  if (reader.peek() !== '') {
    reader.fail(`unexpected text; ${SUPPORTED}`);
  }
  return fields;
}
