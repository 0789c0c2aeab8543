import { DataFrame, FieldColorModeId, FieldType, TimeRange, applyFieldOverrides } from '@grafana/data';
import { config } from '@grafana/runtime';
import { TimeSeries } from '@grafana/ui';
import { useMemo } from 'react';

export function isTimeSeries(frame: DataFrame): boolean {
  return frame.fields.some((f) => f.type === FieldType.time) && frame.fields.some((f) => f.type === FieldType.number);
}

export const seriesCount = (frames: DataFrame[]) =>
  frames.reduce((n, frame) => n + frame.fields.filter((f) => f.type === FieldType.number).length, 0);

// The time series panel's defaults, enough for Grafana UI's graph to draw lines.
const FIELD_CONFIG = {
  defaults: {
    color: { mode: FieldColorModeId.PaletteClassic },
    custom: {
      drawStyle: 'line',
      lineWidth: 1,
      fillOpacity: 0,
      showPoints: 'never',
      spanNulls: false,
      axisPlacement: 'auto',
    },
  },
  overrides: [],
};

/** The frames drawn by Grafana UI's own TimeSeries graph (uPlot), with its legend. */
export function TimeSeriesPreview({
  frames,
  timeRange,
  width,
}: {
  frames: DataFrame[];
  timeRange: TimeRange;
  width: number;
}) {
  const processed = useMemo(
    () =>
      applyFieldOverrides({
        data: frames,
        fieldConfig: FIELD_CONFIG,
        replaceVariables: (value: string) => value,
        theme: config.theme2,
        timeZone: 'browser',
      }),
    [frames],
  );
  return (
    <div data-testid="timeseries-preview" data-series={seriesCount(frames)}>
      <TimeSeries
        frames={processed}
        width={width}
        height={320}
        timeRange={timeRange}
        timeZone="browser"
        legend={{ showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] } as never}
      />
    </div>
  );
}
