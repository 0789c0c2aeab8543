// PromQL text from the syntax tree, as Prometheus 2.42 prints it: `exprString` is the Go AST's
// String() (promql/parser/printer.go) and `prettify` its Pretty(0) (prettier.go), which
// /api/v1/format_query answers. Checked against Prometheus 2.42 itself by
// test/promql-format.e2e.test.ts.

import { MatcherType } from '@nester/common/prompb/types';
import type { Matcher } from '../query/matchers';
import type { Aggregate, AtModifier, Binary, Expr, VectorSelector } from './ast';
import { formatDuration, formatFloatV } from './format';
import { quote } from './literals';

const MATCH_OPS: Record<number, string> = {
  [MatcherType.EQ]: '=',
  [MatcherType.NEQ]: '!=',
  [MatcherType.RE]: '=~',
  [MatcherType.NRE]: '!~',
};

/** Prometheus' String() of an expression: `sum by (job) (rate(x{a="b"}[5m]))`. */
export function exprString(e: Expr): string {
  return parts(e)
    .map((p) => (typeof p === 'string' ? p : exprString(p)))
    .join('');
}

/** An expression's text as its own pieces and its operands' (so lengths need no re-printing). */
function parts(e: Expr): (string | Expr)[] {
  switch (e.type) {
    case 'number':
      return [formatFloatV(e.value)];
    case 'string':
      return [quote(e.value)];
    case 'vector':
      return [`${selectorString(e)}${atString(e.at)}${offsetString(e.offset)}`];
    case 'matrix': {
      const v = e.selector;
      return [`${selectorString(v)}[${formatDuration(e.range)}]${atString(v.at)}${offsetString(v.offset)}`];
    }
    case 'subquery':
      return [e.expr, subquerySuffix(e)];
    case 'call':
      return [`${e.func}(`, ...e.args.flatMap((a, i) => (i ? [', ', a] : [a])), ')'];
    case 'aggregate':
      return [`${aggregatePrefix(e)}(`, ...(e.param ? [e.param, ', '] : []), e.expr, ')'];
    case 'binary':
      return [e.lhs, ` ${binaryOperator(e)} `, e.rhs];
    case 'unary':
      return [e.op, e.expr];
    case 'paren':
      return ['(', e.expr, ')'];
  }
}

/** Longer lines than this are split by `prettify`; Go measures bytes. */
const MAX_LINE_BYTES = 100;

/**
 * Prometheus' Pretty(0): String() where it fits a line, else split over indented lines. Linear in
 * the text: each node's length is summed once, and only nodes that fit are printed flat.
 */
export function prettify(e: Expr): string {
  const lengths = new Map<Expr, number>();
  const length = (n: Expr): number => {
    let len = lengths.get(n);
    if (len === undefined) {
      len = 0;
      for (const p of parts(n)) len += typeof p === 'string' ? Buffer.byteLength(p) : length(p);
      lengths.set(n, len);
    }
    return len;
  };
  // `lead` replaces the first line's indentation: a unary operator's child starts on its line.
  const pretty = (n: Expr, level: number, lead?: string): string => {
    const indent = '  '.repeat(level);
    const first = lead ?? indent;
    const fits = length(n) <= MAX_LINE_BYTES;
    switch (n.type) {
      case 'aggregate': {
        if (fits) return first + exprString(n);
        const param = n.param ? `${pretty(n.param, level + 1)},\n` : '';
        return `${first}${aggregatePrefix(n)}(\n${param}${pretty(n.expr, level + 1)}\n${indent})`;
      }
      case 'binary':
        if (fits) return first + exprString(n);
        return `${pretty(n.lhs, level + 1, lead)}\n${indent}${binaryOperator(n)}\n${pretty(n.rhs, level + 1)}`;
      case 'call':
        if (fits) return first + exprString(n);
        return `${first}${n.func}(\n${n.args.map((a) => pretty(a, level + 1)).join(',\n')}\n${indent})`;
      case 'paren':
        if (fits) return first + exprString(n);
        return `${first}(\n${pretty(n.expr, level + 1)}\n${indent})`;
      case 'subquery':
        // Go answers String() unindented here when it fits (a quirk, kept for identical answers).
        if (fits) return (lead ?? '') + exprString(n);
        return `${pretty(n.expr, level, lead)}${subquerySuffix(n)}`;
      case 'unary':
        // Go: indent + op + TrimSpace(child.Pretty(level)), the child's indentation dropped.
        return pretty(n.expr, level, first + n.op);
      default:
        return first + exprString(n);
    }
  };
  return pretty(e, 0);
}

function selectorString(v: VectorSelector): string {
  const name = v.name ?? '';
  const matchers = v.matchers
    .filter((m) => !(m.name === '__name__' && m.type === MatcherType.EQ && m.value === name))
    .map(matcherString)
    .sort(compareBytes);
  return matchers.length ? `${name}{${matchers.join(',')}}` : name;
}

function matcherString(m: Matcher): string {
  return `${m.name}${MATCH_OPS[m.type]}${quote(m.value)}`;
}

/** Go's sort.Strings: byte (UTF-8) order, which UTF-16 order differs from above U+FFFF. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function atString(at: AtModifier | undefined): string {
  if (at === undefined) return '';
  if (at === 'start' || at === 'end') return ` @ ${at}()`;
  return ` @ ${(at / 1000).toFixed(3)}`;
}

function offsetString(offset: number): string {
  if (offset > 0) return ` offset ${formatDuration(offset)}`;
  if (offset < 0) return ` offset -${formatDuration(-offset)}`;
  return '';
}

function subquerySuffix(e: Extract<Expr, { type: 'subquery' }>): string {
  const step = e.step ? formatDuration(e.step) : '';
  return `[${formatDuration(e.range)}:${step}]${atString(e.at)}${offsetString(e.offset)}`;
}

function aggregatePrefix(e: Aggregate): string {
  if (e.without) return `${e.op} without (${e.grouping.join(', ')}) `;
  if (e.grouping.length) return `${e.op} by (${e.grouping.join(', ')}) `;
  return e.op;
}

/** The operator with its bool and matching clause: `/ on (job) group_left ()`. */
function binaryOperator(e: Binary): string {
  const m = e.matching;
  let out = `${e.op}${e.bool ? ' bool' : ''}`;
  // Go prints the clause only with on or labels: `x * ignoring() group_left(a) y` prints as `x * y`.
  if (m.on || m.labels.length) {
    out += ` ${m.on ? 'on' : 'ignoring'} (${m.labels.join(', ')})`;
    if (m.card === 'many-to-one' || m.card === 'one-to-many') {
      out += ` group_${m.card === 'many-to-one' ? 'left' : 'right'} (${m.include.join(', ')})`;
    }
  }
  return out;
}
