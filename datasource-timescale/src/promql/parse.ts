// Parses PromQL with Prometheus' own grammar (@prometheus-io/lezer-promql 0.42.0, the grammar of
// Prometheus 2.42's UI) and turns the concrete tree into ast.ts, applying what Prometheus' Go
// parser checks on top of the grammar (promql/parser/parse.go checkAST): types of arguments and
// operands, vector matching rules, offset/@ placement. Two differences of the lezer grammar from
// the Go one are undone here: postfix modifiers (`[range]`, `[range:step]`, `offset`, `@`) bind
// tighter than any operator in Go's grammar (`1 + x[5m:1m]` is `1 + (x[5m:1m])`), while lezer
// applies them to the whole binary or unary expression before them.

import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { MatcherType } from '@nester/common/prompb/types';
import { RegexSyntaxError } from '@nester/common/regex/re2';
import { compileMatcher, MatcherError, MATCHER_OPERATORS, type Matcher } from '../query/matchers';
import {
  COMPARISON_OPS,
  SET_OPS,
  type AggregateOp,
  type AtModifier,
  type BinaryOp,
  type Expr,
  type ValueType,
  type VectorMatching,
  type VectorSelector,
} from './ast';
import { FUNCTIONS } from './functions-table';
import { shapeProblem } from './limits';
import { LiteralError, parseDuration, parseNumber, unquote } from './literals';

export class ParseError extends Error {
  override name = 'ParseError';
}

const BINARY_OPS: Record<string, BinaryOp> = {
  Add: '+',
  Sub: '-',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Pow: '^',
  Atan2: 'atan2',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const AGGREGATE_OPS: Record<string, AggregateOp> = {
  Sum: 'sum',
  Avg: 'avg',
  Count: 'count',
  Min: 'min',
  Max: 'max',
  Group: 'group',
  Stddev: 'stddev',
  Stdvar: 'stdvar',
  Topk: 'topk',
  Bottomk: 'bottomk',
  Quantile: 'quantile',
  CountValues: 'count_values',
};

const MATCH_OPS: Record<string, keyof typeof MATCHER_OPERATORS> = {
  EqlSingle: '=',
  Neq: '!=',
  EqlRegex: '=~',
  NeqRegex: '!~',
};

export function parsePromQL(input: string): Expr {
  return new Converter(input).run();
}

class Converter {
  /** Selectors and subqueries whose offset / @ was written (so a second one is refused). */
  private readonly offsetSet = new WeakSet<object>();
  private readonly atSet = new WeakSet<object>();

  constructor(private readonly input: string) {}

  run(): Expr {
    const tooLarge = shapeProblem(this.input);
    if (tooLarge) throw new ParseError(`${tooLarge}; simplify it or split it into recording rules`);
    const tree = parser.parse(this.input);
    let error: { from: number } | undefined;
    tree.iterate({
      enter: (n) => {
        if (error) return false;
        if (n.type.isError) error = { from: n.from };
        return undefined;
      },
    });
    if (error) throw this.error(error.from, `unexpected ${this.near(error.from)}`);
    const exprs = children(tree.topNode);
    if (!exprs.length) throw this.error(0, 'no expression found in input');
    const expr = this.expr(exprs[0]);
    this.check(expr);
    return expr;
  }

  private expr(node: SyntaxNode): Expr {
    const kids = children(node);
    switch (node.name) {
      case 'NumberLiteral':
        return { type: 'number', value: this.number(node) };
      case 'StringLiteral':
        return { type: 'string', value: this.string(node) };
      case 'ParenExpr':
        return { type: 'paren', expr: this.expr(kids[0]) };
      case 'VectorSelector':
        return this.vectorSelector(node);
      case 'MatrixSelector': {
        const range = this.duration(kids[1]);
        return this.postfix(this.expr(kids[0]), node, (inner) => {
          if (inner.type !== 'vector') throw this.error(node.from, 'ranges only allowed for vector selectors');
          if (this.offsetSet.has(inner)) throw this.error(node.from, 'no offset modifiers allowed before range');
          if (this.atSet.has(inner)) throw this.error(node.from, 'no @ modifiers allowed before range');
          return { type: 'matrix', selector: inner, range };
        });
      }
      case 'SubqueryExpr': {
        const range = this.duration(kids[1]);
        const step = kids[2] ? this.duration(kids[2]) : 0;
        return this.postfix(this.expr(kids[0]), node, (inner) => ({
          type: 'subquery',
          expr: inner,
          range,
          step,
          offset: 0,
        }));
      }
      case 'OffsetExpr': {
        const negative = kids.some((k) => k.name === 'Sub');
        const offset = this.duration(kids[kids.length - 1]) * (negative ? -1 : 1);
        return this.postfix(this.expr(kids[0]), node, (inner) => {
          const target = inner.type === 'matrix' ? inner.selector : inner;
          if (target.type !== 'vector' && target.type !== 'subquery') {
            throw this.error(
              node.from,
              'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
            );
          }
          if (this.offsetSet.has(target)) throw this.error(node.from, 'offset may not be set multiple times');
          this.offsetSet.add(target);
          target.offset = offset;
          return inner;
        });
      }
      case 'StepInvariantExpr': {
        const at = this.atValue(kids[2]);
        return this.postfix(this.expr(kids[0]), node, (inner) => {
          const target = inner.type === 'matrix' ? inner.selector : inner;
          if (target.type !== 'vector' && target.type !== 'subquery') {
            throw this.error(
              node.from,
              '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery',
            );
          }
          if (this.atSet.has(target)) throw this.error(node.from, '@ <timestamp> may not be set multiple times');
          this.atSet.add(target);
          target.at = at;
          return inner;
        });
      }
      case 'UnaryExpr': {
        const op = this.text(kids[0]) === '-' ? '-' : '+';
        const inner = this.expr(kids[1]);
        if (inner.type === 'number') return { type: 'number', value: op === '-' ? -inner.value : inner.value };
        return { type: 'unary', op, expr: inner };
      }
      case 'BinaryExpr':
        return this.binary(node, kids);
      case 'FunctionCall': {
        const name = this.text(kids[0]);
        if (!FUNCTIONS.has(name)) throw this.error(node.from, `unknown function with name ${JSON.stringify(name)}`);
        return { type: 'call', func: name, args: kids[1] ? children(kids[1]).map((a) => this.expr(a)) : [] };
      }
      case 'AggregateExpr':
        return this.aggregate(node, kids);
      default:
        throw this.error(node.from, `unexpected ${node.name}`);
    }
  }

  /** Applies a postfix modifier to the operand it binds to in Go's grammar (see the top). */
  private postfix(inner: Expr, node: SyntaxNode, apply: (e: Expr) => Expr): Expr {
    if (inner.type === 'binary') return { ...inner, rhs: this.postfix(inner.rhs, node, apply) };
    if (inner.type === 'unary') return { ...inner, expr: this.postfix(inner.expr, node, apply) };
    return apply(inner);
  }

  private vectorSelector(node: SyntaxNode): VectorSelector {
    const matchers: Matcher[] = [];
    let name: string | undefined;
    for (const kid of children(node)) {
      if (kid.name === 'Identifier') {
        name = this.text(kid);
      } else if (kid.name === 'LabelMatchers') {
        for (const lm of children(kid)) {
          const [labelNode, opNode, valueNode] = children(lm);
          const opName = children(opNode)[0]?.name ?? '';
          const op = MATCH_OPS[opName];
          const label = this.text(labelNode);
          const value = this.string(valueNode);
          if (label === '__name__' && name !== undefined && op === '=') {
            throw this.error(
              lm.from,
              `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(value)}`,
            );
          }
          matchers.push(this.matcher(label, op, value, lm.from));
        }
      }
    }
    if (name !== undefined) matchers.unshift(this.matcher('__name__', '=', name, node.from));
    if (!matchers.some((m) => !m.matches(''))) {
      throw this.error(node.from, 'vector selector must contain at least one non-empty matcher');
    }
    return { type: 'vector', name, matchers, offset: 0 };
  }

  private matcher(name: string, op: keyof typeof MATCHER_OPERATORS, value: string, at: number): Matcher {
    try {
      return compileMatcher({ name, type: MATCHER_OPERATORS[op] ?? MatcherType.EQ, value });
    } catch (err) {
      if (err instanceof RegexSyntaxError || err instanceof MatcherError) throw this.error(at, err.message);
      throw err;
    }
  }

  private binary(node: SyntaxNode, kids: SyntaxNode[]): Expr {
    const rhs = this.expr(kids[kids.length - 1]);
    const op = BINARY_OPS[kids[1].name];
    if (!op) throw this.error(kids[1].from, `unexpected ${kids[1].name}`);
    const sign = this.text(kids[0])[0];
    if (op === '^' && kids[0].name === 'NumberLiteral' && (sign === '-' || sign === '+')) {
      // lezer lexes `-2 ^ 2` as the literal -2; in Go's grammar the sign is a unary operator
      // binding looser than `^`: -(2 ^ 2).
      const power: Expr = {
        type: 'binary',
        op,
        lhs: { type: 'number', value: Math.abs(this.number(kids[0])) },
        rhs,
        bool: false,
        matching: { card: 'one-to-one', on: false, labels: [], include: [] },
      };
      return sign === '-' ? { type: 'unary', op: '-', expr: power } : power;
    }
    const lhs = this.expr(kids[0]);
    const bool = kids.some((k) => k.name === 'BoolModifier');
    const matching: VectorMatching = { card: 'one-to-one', on: false, labels: [], include: [] };
    const clause = kids.find((k) => k.name === 'MatchingModifierClause');
    if (clause) {
      const parts = children(clause);
      matching.on = parts[0].name === 'On';
      matching.labels = this.labelList(parts[1]);
      const group = parts.find((p) => p.name === 'GroupLeft' || p.name === 'GroupRight');
      if (group) {
        matching.card = group.name === 'GroupLeft' ? 'many-to-one' : 'one-to-many';
        const include = parts[parts.indexOf(group) + 1];
        if (include?.name === 'GroupingLabels') matching.include = this.labelList(include);
      }
    }
    if (SET_OPS.has(op) && matching.card === 'one-to-one') matching.card = 'many-to-many';
    return { type: 'binary', op, lhs, rhs, bool, matching };
  }

  private aggregate(node: SyntaxNode, kids: SyntaxNode[]): Expr {
    const op = AGGREGATE_OPS[children(kids[0])[0]?.name ?? ''];
    if (!op) throw this.error(node.from, `unknown aggregation ${this.text(kids[0])}`);
    const modifier = kids.find((k) => k.name === 'AggregateModifier');
    const body = kids.find((k) => k.name === 'FunctionCallBody');
    const args = body ? children(body).map((a) => this.expr(a)) : [];
    const withParam = op === 'topk' || op === 'bottomk' || op === 'quantile' || op === 'count_values';
    if (args.length !== (withParam ? 2 : 1)) {
      throw this.error(
        node.from,
        `wrong number of arguments for aggregate expression provided, expected ${withParam ? 2 : 1}, got ${args.length}`,
      );
    }
    let grouping: string[] = [];
    let without = false;
    if (modifier) {
      const parts = children(modifier);
      without = parts[0].name === 'Without';
      grouping = parts[1] ? this.labelList(parts[1]) : [];
    }
    return {
      type: 'aggregate',
      op,
      expr: args[args.length - 1],
      param: withParam ? args[0] : undefined,
      grouping,
      without,
    };
  }

  private labelList(node: SyntaxNode): string[] {
    return children(node).map((l) => this.text(l));
  }

  private atValue(node: SyntaxNode): AtModifier {
    if (node.name === 'AtModifierPreprocessors') return children(node)[0]?.name === 'Start' ? 'start' : 'end';
    const seconds = this.number(node);
    if (!Number.isFinite(seconds) || Math.abs(seconds) >= 9.2e15) {
      throw this.error(node.from, `timestamp out of bounds for @ modifier: ${seconds}`);
    }
    return Math.round(seconds * 1000);
  }

  private number(node: SyntaxNode): number {
    try {
      return parseNumber(this.text(node));
    } catch (err) {
      throw this.error(node.from, (err as LiteralError).message);
    }
  }

  private string(node: SyntaxNode): string {
    try {
      return unquote(this.text(node));
    } catch (err) {
      throw this.error(node.from, (err as LiteralError).message);
    }
  }

  /** Go's parseDuration: every duration written in PromQL (range, step, offset) is above 0. */
  private duration(node: SyntaxNode): number {
    let ms: number;
    try {
      ms = parseDuration(this.text(node));
    } catch (err) {
      throw this.error(node.from, (err as LiteralError).message);
    }
    if (ms === 0) throw this.error(node.from, 'duration must be greater than 0');
    return ms;
  }

  /** checkAST: the type rules of Prometheus' parser. */
  private check(e: Expr): ValueType {
    switch (e.type) {
      case 'number':
        return 'scalar';
      case 'string':
        return 'string';
      case 'vector':
        return 'vector';
      case 'matrix':
        if (e.range <= 0) throw new ParseError('range selector duration must be greater than 0');
        return 'matrix';
      case 'paren':
        return this.check(e.expr);
      case 'subquery': {
        const t = this.check(e.expr);
        if (t !== 'vector')
          throw new ParseError(`subquery is only allowed on instant vector, got ${typeName(t)} instead`);
        if (e.range <= 0) throw new ParseError('subquery range must be greater than 0');
        return 'matrix';
      }
      case 'unary': {
        const t = this.check(e.expr);
        if (t !== 'scalar' && t !== 'vector') {
          throw new ParseError(
            `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(typeName(t))}`,
          );
        }
        return t;
      }
      case 'call': {
        const sig = FUNCTIONS.get(e.func)!;
        const n = e.args.length;
        const min = sig.args.length - (sig.variadic > 0 ? sig.variadic : sig.variadic < 0 ? 1 : 0);
        if (sig.variadic === 0 && n !== sig.args.length) {
          throw new ParseError(
            `expected ${sig.args.length} argument(s) in call to ${JSON.stringify(e.func)}, got ${n}`,
          );
        }
        if (n < min)
          throw new ParseError(`expected at least ${min} argument(s) in call to ${JSON.stringify(e.func)}, got ${n}`);
        if (sig.variadic > 0 && n > sig.args.length) {
          throw new ParseError(
            `expected at most ${sig.args.length} argument(s) in call to ${JSON.stringify(e.func)}, got ${n}`,
          );
        }
        e.args.forEach((arg, i) => {
          const want = sig.args[Math.min(i, sig.args.length - 1)];
          const got = this.check(arg);
          if (got !== want) {
            throw new ParseError(
              `expected type ${typeName(want)} in call to function ${JSON.stringify(e.func)}, got ${typeName(got)}`,
            );
          }
        });
        return sig.returns;
      }
      case 'aggregate': {
        const t = this.check(e.expr);
        if (t !== 'vector')
          throw new ParseError(`expected type instant vector in aggregation expression, got ${typeName(t)}`);
        if (e.param) {
          const want = e.op === 'count_values' ? 'string' : 'scalar';
          const got = this.check(e.param);
          if (got !== want)
            throw new ParseError(`expected type ${typeName(want)} in aggregation parameter, got ${typeName(got)}`);
        }
        return 'vector';
      }
      case 'binary': {
        const lt = this.check(e.lhs);
        const rt = this.check(e.rhs);
        const m = e.matching;
        if (e.bool && !COMPARISON_OPS.has(e.op))
          throw new ParseError('bool modifier can only be used on comparison operators');
        if (COMPARISON_OPS.has(e.op) && !e.bool && lt === 'scalar' && rt === 'scalar') {
          throw new ParseError('comparisons between scalars must use BOOL modifier');
        }
        if (m.on) {
          for (const l of m.include) {
            if (m.labels.includes(l))
              throw new ParseError(`label ${JSON.stringify(l)} must not occur in ON and GROUP clause at once`);
          }
        }
        if (lt !== 'scalar' && lt !== 'vector')
          throw new ParseError('binary expression must contain only scalar and instant vector types');
        if (rt !== 'scalar' && rt !== 'vector')
          throw new ParseError('binary expression must contain only scalar and instant vector types');
        if (lt !== 'vector' || rt !== 'vector') {
          if (m.labels.length || m.on) throw new ParseError('vector matching only allowed between instant vectors');
          if (m.card === 'many-to-one' || m.card === 'one-to-many')
            throw new ParseError('vector matching only allowed between instant vectors');
        } else if (SET_OPS.has(e.op)) {
          if (m.card === 'one-to-many' || m.card === 'many-to-one')
            throw new ParseError(`no grouping allowed for "${e.op}" operation`);
        }
        if ((lt === 'scalar' || rt === 'scalar') && SET_OPS.has(e.op)) {
          throw new ParseError(`set operator ${JSON.stringify(e.op)} not allowed in binary scalar expression`);
        }
        return lt === 'vector' || rt === 'vector' ? 'vector' : 'scalar';
      }
    }
  }

  private text(node: SyntaxNode): string {
    return this.input.slice(node.from, node.to);
  }

  private near(at: number): string {
    const rest = this.input.slice(at).trim();
    return rest ? JSON.stringify(rest.slice(0, 20)) : 'end of input';
  }

  private error(at: number, message: string): ParseError {
    const before = this.input.slice(0, at);
    const line = before.split('\n').length;
    const col = at - before.lastIndexOf('\n');
    return new ParseError(`${line}:${col}: parse error: ${message}`);
  }
}

/** A node's children, without comments (lezer puts them in the tree wherever they stand). */
function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'LineComment') out.push(c);
  return out;
}

export function typeName(t: ValueType): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}

/** The type of an expression (after parsePromQL has checked it). */
export function typeOf(e: Expr): ValueType {
  switch (e.type) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vector':
    case 'aggregate':
      return 'vector';
    case 'matrix':
    case 'subquery':
      return 'matrix';
    case 'paren':
    case 'unary':
      return typeOf(e.expr);
    case 'call':
      return FUNCTIONS.get(e.func)!.returns;
    case 'binary':
      return typeOf(e.lhs) === 'vector' || typeOf(e.rhs) === 'vector' ? 'vector' : 'scalar';
  }
}
