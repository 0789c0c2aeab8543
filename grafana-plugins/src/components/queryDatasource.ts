import { DataFrame, DataQueryRequest, dateTime } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { from, lastValueFrom } from 'rxjs';

export interface FramesRequest {
  /** refId → PromQL (what both a Prometheus datasource and nester-timescale-datasource read as `expr`). */
  targets: Record<string, string>;
  /** The range ends at now and reaches this far back. */
  rangeMs: number;
  intervalMs: number;
  maxDataPoints: number;
}

function intervalText(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${Math.max(1, Math.round(ms / 1000))}s`;
}

/** Runs range queries on a datasource, all in one request, the way a panel would. */
export async function queryFrames(uid: string, request: FramesRequest, signal?: AbortSignal): Promise<DataFrame[]> {
  const datasource = await getDataSourceSrv().get(uid);
  const to = dateTime();
  const fromTime = dateTime(to).subtract(request.rangeMs, 'ms');
  const interval = intervalText(request.intervalMs);
  const dataRequest = {
    requestId: `nester-${Object.keys(request.targets).join('-')}-${Date.now()}`,
    app: 'nester-fleet-app',
    interval,
    intervalMs: request.intervalMs,
    maxDataPoints: request.maxDataPoints,
    range: { from: fromTime, to, raw: { from: `now-${intervalText(request.rangeMs)}`, to: 'now' } },
    scopedVars: {
      __interval: { text: interval, value: interval },
      __interval_ms: { text: String(request.intervalMs), value: request.intervalMs },
    },
    startTime: Date.now(),
    timezone: 'browser',
    targets: Object.entries(request.targets).map(([refId, expr]) => ({
      refId,
      datasource: { type: datasource.type, uid: datasource.uid },
      expr,
      range: true,
      instant: false,
    })),
  } as unknown as DataQueryRequest;
  const response = await lastValueFrom(from(datasource.query(dataRequest)));
  if (signal?.aborted) {
    throw new DOMException('aborted', 'AbortError');
  }
  if (response.errors?.length) {
    throw new Error(response.errors.map((e) => e.message).join('; '));
  }
  return (response.data ?? []) as DataFrame[];
}
