import { TimeRange, dateMath, dateTime } from '@grafana/data';

export interface RawRange {
  from: string;
  to: string;
}

/** A dashboard's time range from its raw form (now-1h, now, or absolute times). */
export function toTimeRange(raw: RawRange): TimeRange {
  const to = dateMath.parse(raw.to, true) ?? dateTime();
  const from = dateMath.parse(raw.from, false) ?? dateTime(to).subtract(1, 'hour');
  return { from, to, raw };
}

/** Grafana's panel time override: a panel with timeFrom looks at the last `timeFrom`, whatever the dashboard's range. */
export function panelTimeRange(dashboard: RawRange, timeFrom: string | undefined): TimeRange {
  return toTimeRange(timeFrom ? { from: `now-${timeFrom}`, to: 'now' } : dashboard);
}
