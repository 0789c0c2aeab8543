import { DataQuery, DataQueryRequest, DataSourceApi, ScopedVars, TimeRange, rangeUtil } from '@grafana/data';

export interface PanelQueryOptions {
  /** The panel's width in pixels: Grafana's default maxDataPoints. */
  width: number;
  maxDataPoints?: number;
  /** The panel's min interval ("1m"); else the datasource's. */
  minInterval?: string;
  panelId?: number;
  dashboardUid?: string;
}

/**
 * The request Grafana's PanelQueryRunner sends for a panel: its targets with their datasource,
 * the interval from the range and the data points, and the built-in scoped variables
 * ($__interval, $__interval_ms, $__range, $__range_s, $__range_ms).
 */
export function panelQueryRequest(
  ds: DataSourceApi,
  targets: DataQuery[],
  range: TimeRange,
  options: PanelQueryOptions,
): DataQueryRequest {
  const maxDataPoints = options.maxDataPoints ?? Math.max(100, Math.floor(options.width));
  const { interval, intervalMs } = rangeUtil.calculateInterval(
    range,
    maxDataPoints,
    options.minInterval ?? ds.interval,
  );
  const rangeMs = range.to.valueOf() - range.from.valueOf();
  const rangeS = Math.round(rangeMs / 1000);
  const scopedVars: ScopedVars = {
    __interval: { text: interval, value: interval },
    __interval_ms: { text: String(intervalMs), value: intervalMs },
    __range: { text: `${rangeS}s`, value: `${rangeS}s` },
    __range_s: { text: String(rangeS), value: rangeS },
    __range_ms: { text: String(rangeMs), value: rangeMs },
  };
  return {
    requestId: `sandbox-${options.dashboardUid ?? 'panel'}-${options.panelId ?? 0}-${Date.now()}`,
    app: 'dashboard',
    dashboardUID: options.dashboardUid,
    panelId: options.panelId,
    targets: targets.map((target) => ({ ...target, datasource: { type: ds.type, uid: ds.uid } })),
    range,
    interval,
    intervalMs,
    maxDataPoints,
    scopedVars,
    timezone: 'browser',
    startTime: Date.now(),
  };
}
