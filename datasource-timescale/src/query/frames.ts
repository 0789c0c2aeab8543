// Grafana data frames in their JSON wire form (@nester/contracts/query/frames: schema + data, with
// NaN and infinities listed in `entities` since JSON cannot carry them), as @grafana/data's
// dataFrameFromJSON() reads them.

import type { Label } from '@nester/common/prompb/types';
import type { FieldEntities, FrameJSON } from '@nester/contracts/query/frames';

/** One series of a builder query's answer: its labels and its points. */
export interface ResultSeries {
  labels: readonly Label[];
  times: number[];
  values: number[];
}

export function timeSeriesFrame(refId: string, series: ResultSeries, legendFormat?: string): FrameJSON {
  const labels = Object.fromEntries(series.labels.filter((l) => l.name !== '__name__').map((l) => [l.name, l.value]));
  const name = series.labels.find((l) => l.name === '__name__')?.value;
  const display = legendFormat ? applyLegend(legendFormat, series.labels) : undefined;
  const { values, entities } = numberColumn(series.values);
  return {
    schema: {
      name: display ?? formatSeriesName(series.labels),
      refId,
      meta: { type: 'timeseries-multi', typeVersion: [0, 1] },
      fields: [
        { name: 'Time', type: 'time', typeInfo: { frame: 'time.Time' } },
        {
          name: name ?? 'Value',
          type: 'number',
          typeInfo: { frame: 'float64', nullable: true },
          labels,
          ...(display ? { config: { displayNameFromDS: display } } : {}),
        },
      ],
    },
    data: { values: [series.times, values], ...(entities ? { entities: [null, entities] } : {}) },
  };
}

export function numberColumn(input: number[]): { values: (number | null)[]; entities?: FieldEntities } {
  let entities: FieldEntities | undefined;
  const values = input.map((v, i) => {
    if (Number.isFinite(v)) return v;
    entities ??= {};
    const kind = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : 'NegInf';
    (entities[kind] ??= []).push(i);
    return null;
  });
  return entities ? { values, entities } : { values };
}

/** `{{instance}} cpu {{cpu}}` with the series' label values, as Prometheus' legend format. */
export function applyLegend(format: string, labels: readonly Label[]): string {
  return format.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, name: string) => {
    return labels.find((l) => l.name === name)?.value ?? '';
  });
}

/** `metric{a="b", c="d"}`, as Prometheus prints a series. */
export function formatSeriesName(labels: readonly Label[]): string {
  const name = labels.find((l) => l.name === '__name__')?.value ?? '';
  const rest = labels.filter((l) => l.name !== '__name__').map((l) => `${l.name}=${JSON.stringify(l.value)}`);
  return rest.length ? `${name}{${rest.join(', ')}}` : name || '{}';
}
