// Aggregation across series per step (sum, avg, min, max, count by/without), with the float
// operations of Prometheus' aggregation(): groups in order of first appearance, the running
// mean for avg, NaN replaced by any number for min and max.

import type { Label } from '@nester/common/prompb/types';
import type { ResultSeries } from './evaluate';
import type { AdapterAggregation } from '@nester/contracts/query/ds-query';
import type { AggregationOp } from '@nester/contracts/query/vocabulary';

interface Group {
  labels: Label[];
  /** step time -> running state */
  values: Map<number, { value: number; mean: number; count: number }>;
}

export function aggregate(series: ResultSeries[], aggregation: AdapterAggregation): ResultSeries[] {
  const groups = new Map<string, Group>();
  // Neither by nor without: one group of everything, as `sum(x)` in PromQL.
  const by = aggregation.by || !aggregation.without ? new Set(aggregation.by ?? []) : undefined;
  const without = new Set([...(aggregation.without ?? []), '__name__']);
  for (const s of series) {
    const labels = s.labels.filter((l) => (by ? by.has(l.name) : !without.has(l.name)));
    const key = JSON.stringify(labels.map((l) => [l.name, l.value]));
    let group = groups.get(key);
    if (!group) {
      group = { labels, values: new Map() };
      groups.set(key, group);
    }
    for (let i = 0; i < s.times.length; i++) accumulate(group, aggregation.op, s.times[i], s.values[i]);
  }
  return [...groups.values()].map((group) => {
    const times = [...group.values.keys()].sort((a, b) => a - b);
    return {
      labels: group.labels,
      times,
      values: times.map((t) => {
        const state = group.values.get(t)!;
        return aggregation.op === 'avg' ? state.mean : aggregation.op === 'count' ? state.count : state.value;
      }),
    };
  });
}

function accumulate(group: Group, op: AggregationOp, t: number, v: number): void {
  const state = group.values.get(t);
  if (!state) {
    group.values.set(t, { value: v, mean: v, count: 1 });
    return;
  }
  state.count++;
  switch (op) {
    case 'sum':
      state.value += v;
      break;
    case 'avg':
      if (state.mean === Infinity || state.mean === -Infinity) {
        if ((v === Infinity || v === -Infinity) && state.mean > 0 === v > 0) break;
        if (Number.isFinite(v)) break;
      }
      state.mean += v / state.count - state.mean / state.count;
      break;
    case 'max':
      if (state.value < v || Number.isNaN(state.value)) state.value = v;
      break;
    case 'min':
      if (state.value > v || Number.isNaN(state.value)) state.value = v;
      break;
    case 'count':
      break;
  }
}
