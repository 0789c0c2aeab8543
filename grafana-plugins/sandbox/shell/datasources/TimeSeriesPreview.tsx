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

/** A palette colour per series, as the panel would pick them (the sandbox has no field config registry). */
function withColours(frames: DataFrame[]): DataFrame[] {
  const palette = config.theme2.visualization.palette;
  let index = 0;
  return frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) =>
      field.type === FieldType.number
        ? {
            ...field,
            config: {
              ...field.config,
              color: { mode: FieldColorModeId.Fixed, fixedColor: palette[index++ % palette.length] },
            },
          }
        : field,
    ),
  }));
}

/** The frames drawn by Grafana UI's own TimeSeries graph (uPlot), with a legend of last values. */
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
        data: withColours(frames),
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
        legend={{ showLegend: true, displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull'] } as never}
      />
    </div>
  );
}
