import { DataFrame, DataQueryResponse, FieldType, MetricFindValue, isDataFrame } from '@grafana/data';

import { responseFrames } from './responseFrames';

/**
 * A variable query's values, as Grafana's toMetricFindValues takes them: a response of
 * MetricFindValue objects ({text}, as Prometheus' metricFindQuery gives) as they are, else frames.
 */
export function responseValues(response: DataQueryResponse): string[] {
  const data: unknown[] = response.data ?? [];
  const isFindValue = (item: unknown): item is MetricFindValue =>
    typeof item === 'object' && item !== null && !isDataFrame(item) && 'text' in item;
  if (data.length && data.every(isFindValue)) {
    return data.map((item) => String(item.text));
  }
  return valuesOf(responseFrames(response));
}

/** Grafana's toMetricFindValues, in short: the `text` field, else the first string field. */
export function valuesOf(frames: DataFrame[]): string[] {
  return frames.flatMap((frame) => {
    const field = frame.fields.find((f) => f.name === 'text') ?? frame.fields.find((f) => f.type === FieldType.string);
    return field ? Array.from(field.values as ArrayLike<unknown>, String) : [];
  });
}
