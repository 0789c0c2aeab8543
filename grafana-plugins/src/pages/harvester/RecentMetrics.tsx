import { css } from '@emotion/css';
import { DataFrame, DataQueryRequest, FieldType, GrafanaTheme2, dateTime } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { useStyles2 } from '@grafana/ui';
import { useCallback } from 'react';
import { from, lastValueFrom } from 'rxjs';
import type { Harvester } from '@nester/contracts/nester/api';

import { AppSettings } from '../../config/settings';
import { ErrorState } from '../../components/ErrorState';
import { useAsync } from '../../components/useAsync';
import { MetricQuery, combineParts, harvesterSelector, metricQueries } from './metricQueries';

interface Series {
  query: MetricQuery;
  values: number[];
}

/** Time → value of the first numeric series of a frame list (each part aggregates to one). */
function pointsOf(frames: DataFrame[], refId: string): Map<number, number> {
  const frame = frames.find((f) => f.refId === refId);
  const time = frame?.fields.find((f) => f.type === FieldType.time);
  const value = frame?.fields.find((f) => f.type === FieldType.number);
  const points = new Map<number, number>();
  for (let i = 0; time && value && i < frame!.length; i++) {
    const v: unknown = value.values[i];
    if (typeof v === 'number' && Number.isFinite(v)) {
      points.set(Number(time.values[i]), v);
    }
  }
  return points;
}

async function loadSeries(uid: string, queries: MetricQuery[]): Promise<Series[]> {
  const datasource = await getDataSourceSrv().get(uid);
  const to = dateTime();
  const fromTime = dateTime(to).subtract(1, 'hour');
  const targets = queries.flatMap((query) =>
    Object.entries(query.parts).map(([part, expr]) => ({
      refId: `${query.refId}-${part}`,
      datasource: { type: datasource.type, uid: datasource.uid },
      expr,
      range: true,
      instant: false,
    })),
  );
  const request = {
    requestId: `nester-recent-${Date.now()}`,
    app: 'nester-fleet-app',
    interval: '1m',
    intervalMs: 60_000,
    maxDataPoints: 60,
    range: { from: fromTime, to, raw: { from: 'now-1h', to: 'now' } },
    scopedVars: { __interval: { text: '1m', value: '1m' }, __interval_ms: { text: '60000', value: 60_000 } },
    startTime: Date.now(),
    timezone: 'browser',
    targets,
  } as unknown as DataQueryRequest;
  const result = datasource.query(request);
  const response = await lastValueFrom(from(result));
  if (response.errors?.length) {
    throw new Error(response.errors.map((e) => e.message).join('; '));
  }
  const frames = (response.data ?? []) as DataFrame[];
  return queries.map((query) => {
    const parts = Object.fromEntries(
      Object.keys(query.parts).map((part) => [part, pointsOf(frames, `${query.refId}-${part}`)]),
    );
    return { query, values: combineParts(query, parts) };
  });
}

function format(series: Series): string {
  const last = series.values[series.values.length - 1];
  if (last === undefined) {
    return 'no data';
  }
  return series.query.unit === 'percent' ? `${last.toFixed(1)} %` : last.toFixed(2);
}

function Sparkline({ values }: { values: number[] }) {
  if (values.length < 2) {
    return null;
  }
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const points = values
    .map((v, i) => `${(i / (values.length - 1)) * 100},${30 - ((v - min) / span) * 28 - 1}`)
    .join(' ');
  return (
    <svg viewBox="0 0 100 30" preserveAspectRatio="none" width="100%" height="30" aria-hidden>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

/** The last hour of CPU, memory, load and disk from the configured metrics datasource. */
export function RecentMetrics({ harvester, settings }: { harvester: Harvester; settings: AppSettings }) {
  const styles = useStyles2(getStyles);
  const uid = settings.metricsDatasourceUid;
  const selector = harvesterSelector(settings.metricsSelector, harvester);
  const series = useAsync(
    useCallback(() => (uid ? loadSeries(uid, metricQueries(selector)) : Promise.resolve([])), [uid, selector]),
    60_000,
  );
  if (!uid) {
    return (
      <p className={styles.hint}>
        Choose the metrics datasource (nester-timescale-datasource, or a Prometheus one) in the app configuration to see
        this machine's recent CPU, memory, load and disk use here.
      </p>
    );
  }
  return (
    <section data-testid="recent-metrics">
      <h3>Last hour</h3>
      {series.error !== undefined && <ErrorState error={series.error} onRetry={series.reload} />}
      <div className={styles.grid}>
        {(series.value ?? []).map((s) => (
          <div
            key={s.query.refId}
            className={styles.card}
            data-testid={`recent-${s.query.refId}`}
            data-value={s.values[s.values.length - 1] ?? ''}
          >
            <div className={styles.title}>{s.query.title}</div>
            <div className={styles.value}>{format(s)}</div>
            <Sparkline values={s.values} />
          </div>
        ))}
      </div>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  hint: css({ color: theme.colors.text.secondary }),
  grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', gap: theme.spacing(2) }),
  card: css({
    padding: theme.spacing(2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    color: theme.colors.primary.text,
  }),
  title: css({ color: theme.colors.text.secondary }),
  value: css({ fontSize: theme.typography.h2.fontSize, color: theme.colors.text.primary }),
});
