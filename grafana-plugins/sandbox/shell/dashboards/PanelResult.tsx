import { DataFrame, DataQueryError, FieldType } from '@grafana/data';
import type { FieldConfigSource } from '@grafana/schema';
import { Alert } from '@grafana/ui';

import { fieldShown, formatValue } from './fieldDisplay';

export interface QueryAnswer {
  refId: string;
  frames: number;
  /** Data points (rows) over the query's frames. */
  points: number;
  error?: string;
}

const MAX_FRAMES = 6;
const MAX_ROWS = 8;

/** A time series frame as its series' last values; a table as its first rows. */
function FrameValues({ frame, frames, config }: { frame: DataFrame; frames: DataFrame[]; config?: FieldConfigSource }) {
  const isSeries = frame.fields.some((field) => field.type === FieldType.time);
  if (isSeries) {
    return (
      <>
        {frame.fields
          .filter((field) => field.type === FieldType.number)
          .map((field, i) => {
            const shown = fieldShown(field, frame, frames, config);
            return (
              <div key={i} data-testid="panel-series">
                {shown.name}: <b>{formatValue(field.values[frame.length - 1], field, shown)}</b>
              </div>
            );
          })}
      </>
    );
  }
  const columns = frame.fields.map((field) => ({ field, shown: fieldShown(field, frame, frames, config) }));
  return (
    <table style={{ borderCollapse: 'collapse', fontSize: 12 }} data-testid="panel-table">
      <thead>
        <tr>
          {columns.map(({ shown }, i) => (
            <th key={i} style={{ textAlign: 'left', paddingRight: 10 }}>
              {shown.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: Math.min(frame.length, MAX_ROWS) }, (_, row) => (
          <tr key={row}>
            {columns.map(({ field, shown }, i) => (
              <td key={i} style={{ paddingRight: 10 }}>
                {formatValue(field.values[row], field, shown)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * What a panel's queries answered (per query: frames and points, or its error) and the data
 * after its transformations, as values: the sandbox does not draw Grafana's visualisations.
 */
export function PanelResult({
  state,
  answers,
  errors,
  frames,
  config,
}: {
  state: 'Loading' | 'Done' | 'Error';
  answers: QueryAnswer[];
  errors: DataQueryError[];
  frames: DataFrame[];
  config?: FieldConfigSource;
}) {
  const rows = frames.reduce((n, frame) => n + frame.length, 0);
  return (
    <div
      data-testid="panel-result"
      data-state={state}
      data-frames={frames.length}
      data-rows={rows}
      style={{ fontSize: 12 }}
    >
      <div style={{ opacity: 0.7, marginBottom: 4 }}>
        {answers.map((answer) => (
          <span
            key={answer.refId}
            data-testid="panel-query"
            data-ref-id={answer.refId}
            data-frames={answer.frames}
            data-points={answer.points}
            data-error={answer.error ?? ''}
            style={{ marginRight: 12 }}
          >
            {answer.refId}: {answer.error ? 'error' : `${answer.frames} frame(s), ${answer.points} point(s)`}
          </span>
        ))}
      </div>
      {errors.map((error, i) => (
        <Alert key={i} severity="error" title={`Query ${error.refId ?? ''} failed`} data-testid="panel-error">
          {error.message ?? 'unknown error'}
        </Alert>
      ))}
      {frames.slice(0, MAX_FRAMES).map((frame, i) => (
        <FrameValues key={i} frame={frame} frames={frames} config={config} />
      ))}
      {frames.length > MAX_FRAMES && <small>… {frames.length - MAX_FRAMES} more frames</small>}
    </div>
  );
}
