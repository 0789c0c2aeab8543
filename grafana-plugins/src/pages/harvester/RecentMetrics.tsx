import { css } from '@emotion/css';
import { DataFrame, FieldType, GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { useCallback } from 'react';
import type { Harvester } from '@nester/contracts/nester/api';

import { AppSettings } from '../../config/settings';
import { ErrorState } from '../../components/ErrorState';
import { queryFrames } from '../../components/queryDatasource';
import { useAsync } from '../../components/useAsync';
import { MetricChart } from './MetricChart';
import { MetricQuery, combineParts, harvesterSelector, metricQueries } from './metricQueries';

const HOUR_MS = 3_600_000;

interface Series {
  query: MetricQuery;
  points: Array<[number, number]>;
  fromMs: number;
  toMs: number;
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

async function loadSeries(uid: string, queries: MetricQuery[], signal: AbortSignal): Promise<Series[]> {
  const toMs = Date.now();
  const targets = Object.fromEntries(
    queries.flatMap((query) => Object.entries(query.parts).map(([part, expr]) => [`${query.refId}-${part}`, expr])),
  );
  const frames = await queryFrames(uid, { targets, rangeMs: HOUR_MS, intervalMs: 60_000, maxDataPoints: 60 }, signal);
  return queries.map((query) => {
    const parts = Object.fromEntries(
      Object.keys(query.parts).map((part) => [part, pointsOf(frames, `${query.refId}-${part}`)]),
    );
    return { query, points: combineParts(query, parts), fromMs: toMs - HOUR_MS, toMs };
  });
}

function format(series: Series): string {
  const last = series.points[series.points.length - 1]?.[1];
  if (last === undefined) {
    return 'no data';
  }
  return series.query.unit === 'percent' ? `${last.toFixed(1)} %` : last.toFixed(2);
}

/** The last hour of CPU, memory, load and disk from the configured metrics datasource. */
export function RecentMetrics({ harvester, settings }: { harvester: Harvester; settings: AppSettings }) {
  const styles = useStyles2(getStyles);
  const uid = settings.metricsDatasourceUid;
  const selector = harvesterSelector(settings.metricsSelector, harvester);
  const series = useAsync(
    useCallback(
      (signal: AbortSignal) => (uid ? loadSeries(uid, metricQueries(selector), signal) : Promise.resolve([])),
      [uid, selector],
    ),
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
            data-value={s.points[s.points.length - 1]?.[1] ?? ''}
          >
            <div className={styles.title}>{s.query.title}</div>
            <div className={styles.value}>{format(s)}</div>
            <MetricChart points={s.points} unit={s.query.unit} fromMs={s.fromMs} toMs={s.toMs} title={s.query.title} />
          </div>
        ))}
      </div>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  hint: css({ color: theme.colors.text.secondary }),
  grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))', gap: theme.spacing(2) }),
  card: css({
    padding: theme.spacing(2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    color: theme.colors.primary.text,
  }),
  title: css({ color: theme.colors.text.secondary }),
  value: css({ fontSize: theme.typography.h2.fontSize, color: theme.colors.text.primary }),
});
