import { DataFrame, DataQuery, DataQueryError, DataSourceRef } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import type { Panel } from '@grafana/schema';
import { from, lastValueFrom } from 'rxjs';

import { responseFrames } from '../datasources/responseFrames';
import { sandboxTemplateSrv } from '../templateSrv';
import { panelQueryRequest } from './panelRequest';
import type { QueryAnswer } from './PanelResult';
import { RawRange, panelTimeRange } from './timeRange';
import { applyTransformations } from './transformations';

export interface PanelData {
  state: 'Done' | 'Error';
  answers: QueryAnswer[];
  errors: DataQueryError[];
  /** After the panel's transformations. */
  frames: DataFrame[];
}

type Target = DataQuery & { datasource?: DataSourceRef | null };

/**
 * A panel's queries as Grafana's query runner sends them (targets grouped by datasource, hidden
 * ones left out, the panel's time override and min interval), then its transformations.
 */
export async function runPanelQueries(
  panel: Panel,
  range: RawRange,
  options: { width: number; dashboardUid?: string },
): Promise<PanelData> {
  const targets = ((panel.targets ?? []) as unknown as Target[]).filter((target) => !target.hide);
  const groups = new Map<string, { ref: DataSourceRef | null; targets: Target[] }>();
  for (const target of targets) {
    const ref = target.datasource ?? panel.datasource ?? null;
    const key = ref?.uid ?? '(default)';
    groups.set(key, { ref, targets: [...(groups.get(key)?.targets ?? []), target] });
  }
  const frames: DataFrame[] = [];
  const errors: DataQueryError[] = [];
  for (const { ref, targets: grouped } of groups.values()) {
    try {
      const ds = await getDataSourceSrv().get(ref);
      const runnable = grouped.filter((target) => !ds.filterQuery || ds.filterQuery(target));
      const request = panelQueryRequest(ds, runnable, panelTimeRange(range, panel.timeFrom), {
        width: options.width,
        maxDataPoints: panel.maxDataPoints,
        minInterval: panel.interval,
        panelId: panel.id,
        dashboardUid: options.dashboardUid,
      });
      const response = await lastValueFrom(from(ds.query(request)));
      frames.push(...responseFrames(response));
      errors.push(...(response.errors ?? (response.error ? [response.error] : [])));
    } catch (err) {
      errors.push({ message: err instanceof Error ? err.message : String(err) });
    }
  }
  const answers = targets.map((target) => {
    const own = frames.filter((frame) => frame.refId === target.refId);
    const error = errors.find((e) => e.refId === target.refId);
    return {
      refId: target.refId,
      frames: own.length,
      points: own.reduce((n, frame) => n + frame.length, 0),
      ...(error ? { error: error.message ?? 'failed' } : {}),
    };
  });
  let transformed = frames;
  try {
    transformed = await applyTransformations(panel.transformations ?? [], frames, (text) =>
      sandboxTemplateSrv.replace(text),
    );
  } catch (err) {
    errors.push({ message: `transformations: ${err instanceof Error ? err.message : String(err)}` });
  }
  return { state: errors.length ? 'Error' : 'Done', answers, errors, frames: transformed };
}
