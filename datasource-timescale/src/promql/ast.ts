// The PromQL syntax tree the engine evaluates, as Prometheus' parser/ast.go shapes it (parsed by
// parse.ts from @prometheus-io/lezer-promql's concrete tree). Times and durations in milliseconds.

import type { Matcher } from '../query/matchers';

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

export type AtModifier = number | 'start' | 'end';

export interface NumberLiteral {
  type: 'number';
  value: number;
}

export interface StringLiteral {
  type: 'string';
  value: string;
}

export interface VectorSelector {
  type: 'vector';
  name?: string;
  matchers: Matcher[];
  offset: number;
  at?: AtModifier;
}

export interface MatrixSelector {
  type: 'matrix';
  selector: VectorSelector;
  range: number;
}

export interface Subquery {
  type: 'subquery';
  expr: Expr;
  range: number;
  /** 0: the default evaluation interval. */
  step: number;
  offset: number;
  at?: AtModifier;
}

export interface Call {
  type: 'call';
  func: string;
  args: Expr[];
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'count'
  | 'min'
  | 'max'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values';

export interface Aggregate {
  type: 'aggregate';
  op: AggregateOp;
  expr: Expr;
  param?: Expr;
  grouping: string[];
  without: boolean;
}

export type BinaryOp =
  '+' | '-' | '*' | '/' | '%' | '^' | 'atan2' | '==' | '!=' | '>' | '<' | '>=' | '<=' | 'and' | 'or' | 'unless';

export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

export interface VectorMatching {
  card: Cardinality;
  on: boolean;
  labels: string[];
  include: string[];
}

export interface Binary {
  type: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  bool: boolean;
  matching: VectorMatching;
}

export interface Unary {
  type: 'unary';
  op: '+' | '-';
  expr: Expr;
}

export interface Paren {
  type: 'paren';
  expr: Expr;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | Subquery
  | Call
  | Aggregate
  | Binary
  | Unary
  | Paren;

export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set(['==', '!=', '>', '<', '>=', '<=']);
export const SET_OPS: ReadonlySet<BinaryOp> = new Set(['and', 'or', 'unless']);
