// The adapter's answer as Grafana sees query results: each frame read with dataFrameFromJSON
// (Grafana's own reader of its JSON wire form, NaN and ±Inf included), each failed query as an
// error on its refId.
import {
  DataFrame,
  DataFrameJSON,
  DataQueryError,
  DataFrameType,
  DataQueryResponse,
  FieldType,
  dataFrameFromJSON,
} from '@grafana/data';
import type { DsQueryResponse } from '@nester/contracts/query/ds-query';

/**
 * Series are named as Prometheus prints them (metric{label="value"}, the adapter's frame name)
 * unless a legend format named them: Grafana would otherwise join the frame name and a label
 * value into names such as `{mode="idle"} idle`.
 */
function nameSeries(frame: DataFrame) {
  if (frame.meta?.type !== DataFrameType.TimeSeriesMulti || !frame.name) {
    return;
  }
  for (const field of frame.fields) {
    if (field.type === FieldType.number && !field.config.displayNameFromDS) {
      field.config = { ...field.config, displayNameFromDS: frame.name };
    }
  }
}

export function toDataQueryResponse(body: DsQueryResponse, earlierErrors: DataQueryError[] = []): DataQueryResponse {
  const data: DataFrame[] = [];
  const errors: DataQueryError[] = [...earlierErrors];
  for (const [refId, result] of Object.entries(body.results ?? {})) {
    for (const json of result.frames ?? []) {
      // The adapter's frames are DataFrameJSON; its field types are FieldType's string values.
      const frame = dataFrameFromJSON(json as DataFrameJSON);
      frame.refId = refId;
      nameSeries(frame);
      data.push(frame);
    }
    if (result.error) {
      errors.push({ refId, message: result.error, status: result.status });
    }
  }
  return errors.length ? { data, errors } : { data };
}
