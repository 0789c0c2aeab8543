import { GrafanaTheme2 } from '@grafana/data';
import { useTheme2 } from '@grafana/ui';

import { HealthMetric, thresholdFor } from './thresholds';

/** A figure coloured by its threshold step, as a Grafana table cell with "color text" does. */
export function HealthCell({
  metric,
  value,
  judged = value,
  text,
  title,
  testId,
}: {
  metric: HealthMetric;
  value: number | undefined;
  /** What the threshold judges, when not the value shown (load per CPU for load). */
  judged?: number;
  /** The figure as shown; the colour still comes from `value`. */
  text: string;
  title?: string;
  testId: string;
}) {
  const theme = useTheme2();
  const step = thresholdFor(metric, judged);
  return (
    <td
      data-testid={testId}
      data-value={value ?? ''}
      data-color={step?.color ?? ''}
      title={title}
      style={{ color: colour(theme, step?.color), whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}
    >
      {value === undefined ? '–' : text}
    </td>
  );
}

function colour(theme: GrafanaTheme2, name: string | undefined): string | undefined {
  return name ? theme.visualization.getColorByName(name) : theme.colors.text.secondary;
}
