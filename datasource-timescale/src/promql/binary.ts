// Binary operators at one step, ported from Prometheus 2.42 (VectorBinop, VectorAnd/Or/Unless,
// VectorscalarBinop, scalarBinop, resultMetric).

import { COMPARISON_OPS, type BinaryOp, type VectorMatching } from './ast';
import { goPow } from './instant-functions';
import {
  deleteLabels,
  dropMetricName,
  formatLabels,
  getLabel,
  keepLabels,
  labelsKey,
  METRIC_NAME,
  setLabel,
  signature,
  type Labels,
} from './labels';
import { ExecutionError, type Vector } from './vector';

// shouldDropMetricName: atan2 keeps the name in 2.42.
const ARITHMETIC: ReadonlySet<BinaryOp> = new Set(['+', '-', '*', '/', '%', '^']);

/** vectorElemBinop: the value, and whether a comparison keeps the element. */
export function elemBinop(op: BinaryOp, l: number, r: number): [number, boolean] {
  switch (op) {
    case '+':
      return [l + r, true];
    case '-':
      return [l - r, true];
    case '*':
      return [l * r, true];
    case '/':
      return [l / r, true];
    case '%':
      return [l % r, true];
    case '^':
      return [goPow(l, r), true];
    case 'atan2':
      return [Math.atan2(l, r), true];
    case '==':
      return [l, l === r];
    case '!=':
      return [l, l !== r];
    case '>':
      return [l, l > r];
    case '<':
      return [l, l < r];
    case '>=':
      return [l, l >= r];
    case '<=':
      return [l, l <= r];
    default:
      throw new ExecutionError(`operator ${JSON.stringify(op)} not allowed for operations between scalars or vectors`);
  }
}

export function scalarBinop(op: BinaryOp, l: number, r: number): number {
  const [value, keep] = elemBinop(op, l, r);
  return COMPARISON_OPS.has(op) ? (keep ? 1 : 0) : value;
}

/**
 * Per binary node, each input label set's result label set, by identity: op and matching are fixed
 * for the node, so the result depends on the input alone. Built once per series, not once per step,
 * and the same object every step (so later keys by identity hit too).
 */
export type ResultLabels = WeakMap<Labels, Labels>;

function cached(results: ResultLabels | undefined, ls: Labels, make: (ls: Labels) => Labels): Labels {
  if (!results) return make(ls);
  let out = results.get(ls);
  if (!out) {
    out = make(ls);
    results.set(ls, out);
  }
  return out;
}

export function vectorScalarBinop(
  op: BinaryOp,
  vec: Vector,
  scalar: number,
  swap: boolean,
  returnBool: boolean,
  results?: ResultLabels,
): Vector {
  const drop = ARITHMETIC.has(op) || returnBool;
  const out: Vector = [];
  for (const s of vec) {
    let [l, r] = [s.v, scalar];
    if (swap) [l, r] = [r, l];
    let [value, keep] = elemBinop(op, l, r);
    if (COMPARISON_OPS.has(op) && swap) value = r;
    if (returnBool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (keep) out.push({ labels: drop ? cached(results, s.labels, dropMetricName) : s.labels, v: value });
  }
  return out;
}

type Signatures = (ls: Labels) => string;

/** The matching signature, once per label set object (series keep theirs from step to step). */
export function signatureFunc(m: VectorMatching): Signatures {
  const cache = new WeakMap<Labels, string>();
  return (ls) => {
    let sig = cache.get(ls);
    if (sig === undefined) {
      sig = signature(ls, m.on, m.labels);
      cache.set(ls, sig);
    }
    return sig;
  };
}

export function vectorAnd(lhs: Vector, rhs: Vector, sig: Signatures): Vector {
  if (!lhs.length || !rhs.length) return [];
  const right = new Set(rhs.map((s) => sig(s.labels)));
  return lhs.filter((s) => right.has(sig(s.labels)));
}

export function vectorOr(lhs: Vector, rhs: Vector, sig: Signatures): Vector {
  if (!lhs.length) return [...rhs];
  if (!rhs.length) return [...lhs];
  const left = new Set(lhs.map((s) => sig(s.labels)));
  return [...lhs, ...rhs.filter((s) => !left.has(sig(s.labels)))];
}

export function vectorUnless(lhs: Vector, rhs: Vector, sig: Signatures): Vector {
  if (!lhs.length || !rhs.length) return [...lhs];
  const right = new Set(rhs.map((s) => sig(s.labels)));
  return lhs.filter((s) => !right.has(sig(s.labels)));
}

export function vectorBinop(
  op: BinaryOp,
  lhsIn: Vector,
  rhsIn: Vector,
  m: VectorMatching,
  returnBool: boolean,
  sig: Signatures,
  results?: ResultLabels,
): Vector {
  if (!lhsIn.length || !rhsIn.length) return [];
  const swap = m.card === 'one-to-many';
  const [lhs, rhs] = swap ? [rhsIn, lhsIn] : [lhsIn, rhsIn];
  const rightSigs = new Map<string, (typeof rhs)[number]>();
  for (const rs of rhs) {
    const key = sig(rs.labels);
    const dupl = rightSigs.get(key);
    if (dupl) {
      const oneSide = swap ? 'left' : 'right';
      const matched = m.on ? keepLabels(rs.labels, m.labels) : deleteLabels(rs.labels, [...m.labels, METRIC_NAME]);
      throw new ExecutionError(
        `found duplicate series for the match group ${formatLabels(matched)} on the ${oneSide} hand-side of the operation: ` +
          `[${formatLabels(rs.labels)}, ${formatLabels(dupl.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    rightSigs.set(key, rs);
  }
  const matchedSigs = new Map<string, Set<string> | null>();
  const out: Vector = [];
  for (const ls of lhs) {
    const key = sig(ls.labels);
    const rs = rightSigs.get(key);
    if (!rs) continue;
    const [vl, vr] = swap ? [rs.v, ls.v] : [ls.v, rs.v];
    const [raw, keep] = elemBinop(op, vl, vr);
    let value = raw;
    if (returnBool) value = keep ? 1 : 0;
    else if (!keep) continue;
    const make = (lhsLabels: Labels) => {
      const metric = resultMetric(lhsLabels, rs.labels, op, m);
      return returnBool ? dropMetricName(metric) : metric;
    };
    // group_left/right(labels) copy labels from the other side: then it depends on both.
    const metric = m.include.length ? make(ls.labels) : cached(results, ls.labels, make);
    const inserted = matchedSigs.get(key);
    if (m.card === 'one-to-one') {
      if (inserted !== undefined) {
        throw new ExecutionError(
          'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
        );
      }
      matchedSigs.set(key, null);
    } else {
      const insertSig = labelsKey(metric);
      if (!inserted) matchedSigs.set(key, new Set([insertSig]));
      else if (inserted.has(insertSig))
        throw new ExecutionError('multiple matches for labels: grouping labels must ensure unique matches');
      else inserted.add(insertSig);
    }
    out.push({ labels: metric, v: value });
  }
  return out;
}

function resultMetric(lhs: Labels, rhs: Labels, op: BinaryOp, m: VectorMatching): Labels {
  let ls = lhs;
  if (ARITHMETIC.has(op)) ls = dropMetricName(ls);
  if (m.card === 'one-to-one') ls = m.on ? keepLabels(ls, m.labels) : deleteLabels(ls, m.labels);
  for (const name of m.include) ls = setLabel(ls, name, getLabel(rhs, name));
  return ls;
}
