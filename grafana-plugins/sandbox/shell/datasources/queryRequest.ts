import { DataQuery, DataQueryRequest, DataSourceApi, TimeRange, dateMath, dateTime, rangeUtil } from '@grafana/data';

export const RANGES = ['5m', '15m', '1h', '6h', '24h'];

/** The time range `now-<range>` to now, as the time picker gives it. */
export function relativeTimeRange(range: string): TimeRange {
  const to = dateTime();
  const from = dateMath.parse(`now-${range}`, false, undefined) ?? dateTime(to).subtract(1, 'hour');
  return { from, to, raw: { from: `now-${range}`, to: 'now' } };
}

/** A query request as Grafana's query runner builds one for a panel (or Explore) of this width. */
export function queryRequest(ds: DataSourceApi, query: DataQuery, range: string, width: number): DataQueryRequest {
  const timeRange = relativeTimeRange(range);
  const maxDataPoints = Math.max(100, Math.floor(width));
  const { interval, intervalMs } = rangeUtil.calculateInterval(timeRange, maxDataPoints, ds.interval ?? '1s');
  return {
    requestId: `sandbox-${Date.now()}`,
    app: 'explore',
    targets: [{ ...query, datasource: { type: ds.type, uid: ds.uid } }],
    range: timeRange,
    interval,
    intervalMs,
    maxDataPoints,
    scopedVars: {
      __interval: { text: interval, value: interval },
      __interval_ms: { text: String(intervalMs), value: intervalMs },
    },
    timezone: 'browser',
    startTime: Date.now(),
  };
}
