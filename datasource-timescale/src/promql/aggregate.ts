// Aggregation operators at one step, ported from Prometheus 2.42's evaluator.aggregation():
// the same float operations in the same order, and Go's container/heap for topk/bottomk so
// ties and NaN pick the same series.

import type { AggregateOp } from './ast';
import { formatFloatF } from './format';
import { deleteLabels, keepLabels, METRIC_NAME, setLabel, signature, type Labels } from './labels';
import { quantile } from './range-functions';
import { ExecutionError, type Sample, type Vector } from './vector';

interface Group {
  labels: Labels;
  value: number;
  mean: number;
  count: number;
  heap: Sample[];
  values: number[];
}

type Less = (a: Sample, b: Sample) => boolean;
const minHeapLess: Less = (a, b) => Number.isNaN(a.v) || a.v < b.v;
const maxHeapLess: Less = (a, b) => Number.isNaN(a.v) || a.v > b.v;

function up(h: Sample[], j: number, less: Less): void {
  while (j > 0) {
    const i = (j - 1) >> 1;
    if (i === j || !less(h[j], h[i])) break;
    [h[i], h[j]] = [h[j], h[i]];
    j = i;
  }
}

function down(h: Sample[], i0: number, n: number, less: Less): void {
  let i = i0;
  for (;;) {
    const j1 = 2 * i + 1;
    if (j1 >= n || j1 < 0) break;
    let j = j1;
    const j2 = j1 + 1;
    if (j2 < n && less(h[j2], h[j1])) j = j2;
    if (!less(h[j], h[i])) break;
    [h[i], h[j]] = [h[j], h[i]];
    i = j;
  }
}

function heapPush(h: Sample[], s: Sample, less: Less): void {
  h.push(s);
  up(h, h.length - 1, less);
}

function heapPop(h: Sample[], less: Less): void {
  const n = h.length - 1;
  [h[0], h[n]] = [h[n], h[0]];
  down(h, 0, n, less);
  h.pop();
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A series' group: its key and the group's labels. */
interface Grouped {
  key: string;
  labels: Labels;
}

/**
 * Per aggregation node, each input label set's group, by identity: a selector's series keep their
 * label objects from step to step, so the key is built once per series, not once per step, and a
 * group keeps one labels object (which later keys by identity too).
 */
export type GroupCache = WeakMap<Labels, Grouped>;

export function aggregate(
  op: AggregateOp,
  grouping: readonly string[],
  without: boolean,
  param: number | string | undefined,
  vec: Vector,
  cache?: GroupCache,
): Vector {
  let k = 0;
  if (op === 'topk' || op === 'bottomk') {
    const f = param as number;
    if (!(f >= -9.2e18 && f <= 9.2e18)) throw new ExecutionError(`Scalar value ${f} overflows int64`);
    k = Math.trunc(f);
    if (k < 1) return [];
  }
  const valueLabel = op === 'count_values' ? (param as string) : '';
  if (op === 'count_values' && !LABEL_NAME.test(valueLabel)) {
    throw new ExecutionError(`invalid label name ${JSON.stringify(valueLabel)}`);
  }
  const groupBy = op === 'count_values' && !without ? [...grouping, valueLabel].sort() : [...grouping].sort();
  const groups = new Map<string, Group>();
  const ordered: Group[] = [];
  const less = op === 'bottomk' ? maxHeapLess : minHeapLess;
  for (const input of vec) {
    let s = input;
    if (op === 'count_values') s = { labels: setLabel(s.labels, valueLabel, formatFloatF(s.v)), v: s.v };
    // count_values makes new label sets at every step: nothing to reuse.
    let grouped = op === 'count_values' ? undefined : cache?.get(s.labels);
    if (!grouped) {
      grouped = groupOf(s.labels, without, groupBy);
      if (op !== 'count_values') cache?.set(s.labels, grouped);
    }
    const { key, labels } = grouped;
    const group = groups.get(key);
    if (!group) {
      const g: Group = { labels, value: s.v, mean: s.v, count: 1, heap: [], values: [s.v] };
      if (op === 'stddev' || op === 'stdvar') g.value = 0;
      if (op === 'topk' || op === 'bottomk') g.heap = [s];
      if (op === 'group') g.value = 1;
      groups.set(key, g);
      ordered.push(g);
      continue;
    }
    switch (op) {
      case 'sum':
        group.value += s.v;
        break;
      case 'avg':
        group.count++;
        if (group.mean === Infinity || group.mean === -Infinity) {
          if ((s.v === Infinity || s.v === -Infinity) && group.mean > 0 === s.v > 0) break;
          if (s.v !== Infinity && s.v !== -Infinity && !Number.isNaN(s.v)) break;
        }
        group.mean += s.v / group.count - group.mean / group.count;
        break;
      case 'group':
        break;
      case 'max':
        if (group.value < s.v || Number.isNaN(group.value)) group.value = s.v;
        break;
      case 'min':
        if (group.value > s.v || Number.isNaN(group.value)) group.value = s.v;
        break;
      case 'count':
      case 'count_values':
        group.count++;
        break;
      case 'stddev':
      case 'stdvar': {
        group.count++;
        const delta = s.v - group.mean;
        group.mean += delta / group.count;
        group.value += delta * (s.v - group.mean);
        break;
      }
      case 'topk':
      case 'bottomk': {
        const h = group.heap;
        const top = h[0].v;
        const better = op === 'topk' ? top < s.v : top > s.v;
        if (h.length < k || better || Number.isNaN(top)) {
          if (h.length === k) {
            if (k === 1) {
              h[0] = s;
              break;
            }
            heapPop(h, less);
          }
          heapPush(h, s, less);
        }
        break;
      }
      case 'quantile':
        group.values.push(s.v);
        break;
    }
  }
  const out: Vector = [];
  for (const g of ordered) {
    switch (op) {
      case 'avg':
        g.value = g.mean;
        break;
      case 'count':
      case 'count_values':
        g.value = g.count;
        break;
      case 'stdvar':
        g.value = g.value / g.count;
        break;
      case 'stddev':
        g.value = Math.sqrt(g.value / g.count);
        break;
      case 'topk':
      case 'bottomk':
        for (const s of g.heap) out.push({ labels: s.labels, v: s.v });
        continue;
      case 'quantile':
        g.value = quantile(param as number, g.values);
        break;
      default:
        break;
    }
    out.push({ labels: g.labels, v: g.value });
  }
  return out;
}

function groupOf(ls: Labels, without: boolean, groupBy: readonly string[]): Grouped {
  if (without) return { key: signature(ls, false, groupBy), labels: deleteLabels(ls, [...groupBy, METRIC_NAME]) };
  if (groupBy.length) return { key: signature(ls, true, groupBy), labels: keepLabels(ls, groupBy) };
  return { key: '', labels: [] };
}
