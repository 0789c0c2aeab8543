import { DataFrame, DataQueryError, DataQueryResponse, TimeRange } from '@grafana/data';
import { Alert, Stack } from '@grafana/ui';

import { responseFrames } from './responseFrames';
import { TimeSeriesPreview, isTimeSeries, seriesCount } from './TimeSeriesPreview';

function TablePreview({ frame }: { frame: DataFrame }) {
  const rows = Math.min(frame.length, 50);
  return (
    <div data-testid="table-preview" data-rows={frame.length}>
      <table style={{ borderCollapse: 'collapse', fontSize: 12 }}>
        <thead>
          <tr>
            {frame.fields.map((field) => (
              <th key={field.name} style={{ textAlign: 'left', padding: '2px 12px 2px 0' }}>
                {field.name} <small>({field.type})</small>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, row) => (
            <tr key={row}>
              {frame.fields.map((field) => (
                <td key={field.name} style={{ padding: '2px 12px 2px 0' }}>
                  {String(field.values[row] ?? '')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {frame.length > rows && <small>… {frame.length - rows} more rows</small>}
    </div>
  );
}

/** What a query gave: errors said plainly, time series drawn, tables listed. */
export function QueryPreview({
  response,
  timeRange,
  width,
}: {
  response: DataQueryResponse;
  timeRange: TimeRange;
  width: number;
}) {
  const frames = responseFrames(response);
  const errors: DataQueryError[] = response.errors ?? (response.error ? [response.error] : []);
  const series = frames.filter(isTimeSeries);
  const tables = frames.filter((frame) => !isTimeSeries(frame));
  const rows = frames.reduce((n, frame) => n + frame.length, 0);
  return (
    <Stack direction="column" gap={1}>
      <div data-testid="query-summary" data-frames={frames.length} data-series={seriesCount(series)} data-rows={rows}>
        {frames.length} frame(s), {seriesCount(series)} series, {rows} row(s)
      </div>
      {errors.map((error, i) => (
        <Alert key={i} severity="error" title={`Query ${error.refId ?? ''} failed`} data-testid="query-error">
          {error.message ?? error.data?.message ?? 'unknown error'}
        </Alert>
      ))}
      {series.length > 0 && <TimeSeriesPreview frames={series} timeRange={timeRange} width={width} />}
      {tables.map((frame, i) => (
        <TablePreview key={i} frame={frame} />
      ))}
    </Stack>
  );
}
