// The adapter's answer as Grafana sees query results: each frame read with dataFrameFromJSON
// (Grafana's own reader of its JSON wire form, NaN and ±Inf included), each failed query as an
// error on its refId.
import { DataFrame, DataQueryError, DataQueryResponse, dataFrameFromJSON } from '@grafana/data';

import { DsQueryResponse } from '../api/types';

export function toDataQueryResponse(body: DsQueryResponse, earlierErrors: DataQueryError[] = []): DataQueryResponse {
  const data: DataFrame[] = [];
  const errors: DataQueryError[] = [...earlierErrors];
  for (const [refId, result] of Object.entries(body.results ?? {})) {
    for (const json of result.frames ?? []) {
      const frame = dataFrameFromJSON(json);
      frame.refId = refId;
      data.push(frame);
    }
    if (result.error) {
      errors.push({ refId, message: result.error, status: result.status });
    }
  }
  return errors.length ? { data, errors } : { data };
}
