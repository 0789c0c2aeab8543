import { DataFrame, FieldType } from '@grafana/data';

/** Grafana's toMetricFindValues, in short: the `text` field, else the first string field. */
export function valuesOf(frames: DataFrame[]): string[] {
  return frames.flatMap((frame) => {
    const field = frame.fields.find((f) => f.name === 'text') ?? frame.fields.find((f) => f.type === FieldType.string);
    return field ? Array.from(field.values as ArrayLike<unknown>, String) : [];
  });
}
