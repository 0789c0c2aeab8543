import { DataFrame, DataQueryResponse, isDataFrame, toDataFrame } from '@grafana/data';

/** A query response's data as frames: frames as they are, older shapes converted as Grafana's query runner does. */
export function responseFrames(response: DataQueryResponse): DataFrame[] {
  return (response.data ?? []).map((item) => (isDataFrame(item) ? item : toDataFrame(item)));
}
