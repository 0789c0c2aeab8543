import { GrafanaTheme2, dateTimeFormat } from '@grafana/data';
import { useTheme2 } from '@grafana/ui';

import { niceTicks } from './ticks';

interface Props {
  points: Array<[number, number]>;
  unit: 'percent' | 'number';
  fromMs: number;
  toMs: number;
  title: string;
}

const WIDTH = 320;
const HEIGHT = 120;
const LEFT = 40;
const BOTTOM = 18;
const TOP = 6;
const RIGHT = 8;

/** A small time series chart with a value axis (with its unit) and a time axis, in the theme's colours. */
export function MetricChart({ points, unit, fromMs, toMs, title }: Props) {
  const theme = useTheme2();
  const max = unit === 'percent' ? 100 : Math.max(1, ...points.map(([, v]) => v));
  const yTicks = niceTicks(0, max, 4);
  const top = yTicks[yTicks.length - 1] || 1;
  const x = (t: number) => LEFT + ((t - fromMs) / (toMs - fromMs || 1)) * (WIDTH - LEFT - RIGHT);
  const y = (v: number) => TOP + (1 - v / top) * (HEIGHT - TOP - BOTTOM);
  const label = (v: number) => (unit === 'percent' ? `${v} %` : String(v));
  const xTicks = [0, 1, 2, 3].map((i) => fromMs + ((toMs - fromMs) * i) / 3);
  const line = points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const axis = axisStyle(theme);
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={`${title} over the last hour`}>
      {yTicks.map((v) => (
        <g key={`y${v}`}>
          <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(v)} y2={y(v)} stroke={theme.colors.border.weak} />
          <text x={LEFT - 4} y={y(v) + 3} textAnchor="end" {...axis}>
            {label(v)}
          </text>
        </g>
      ))}
      {xTicks.map((t, i) => (
        <text
          key={`x${i}`}
          x={x(t)}
          y={HEIGHT - 4}
          textAnchor={i === 0 ? 'start' : i === 3 ? 'end' : 'middle'}
          {...axis}
        >
          {dateTimeFormat(t, { format: 'HH:mm' })}
        </text>
      ))}
      {points.length > 1 && (
        <polyline points={line} fill="none" stroke={theme.visualization.getColorByName('green')} strokeWidth={1.5} />
      )}
      {points.length === 1 && (
        <circle cx={x(points[0][0])} cy={y(points[0][1])} r={2} fill={theme.visualization.getColorByName('green')} />
      )}
    </svg>
  );
}

function axisStyle(theme: GrafanaTheme2) {
  return { fontSize: 9, fill: theme.colors.text.secondary, fontFamily: theme.typography.fontFamily };
}
