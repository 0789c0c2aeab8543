import {
  DataQueryError,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  MetricFindValue,
  ScopedVars,
  TestDataSourceResponse,
} from '@grafana/data';
import { TemplateSrv, getTemplateSrv } from '@grafana/runtime';
import type { AdapterQuery } from '@nester/contracts/query/ds-query';
import { Observable, catchError, map, of } from 'rxjs';

import { AdapterClient } from './api/client';
import { toAdapterError } from './api/errors';
import { describeStatus } from './describeStatus';
import { toDataQueryResponse } from './query/frames';
import { interpolateBuilder } from './query/interpolate';
import { formatExpression, formatSelector } from './query/promql';
import { applyVariables, isRunnable, isSqlQuery, toAdapterQuery } from './query/request';
import { BuilderFields, DEFAULT_SCRAPE_INTERVAL, defaultQuery, TimescaleOptions, TimescaleQuery } from './types';
import { TimescaleVariableSupport } from './variables/VariableSupport';
import { VariableQuery, parseVariableQuery, runVariableQuery } from './variables/variableQuery';

function durationMs(text: string | undefined, fallback: number): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text?.trim() ?? '');
  if (!match) {
    return fallback;
  }
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
}

/**
 * A frontend-only datasource: every call goes to the adapter through Grafana's datasource proxy
 * (instanceSettings.url), which adds the read token. Dashboard variables are applied in
 * applyTemplateVariables, escaped for where each value lands.
 */
export class TimescaleDataSource extends DataSourceApi<TimescaleQuery, TimescaleOptions> {
  readonly client: AdapterClient;
  readonly scrapeMs: number;

  constructor(
    instanceSettings: DataSourceInstanceSettings<TimescaleOptions>,
    private readonly templateSrv: TemplateSrv = getTemplateSrv(),
  ) {
    super(instanceSettings);
    this.client = new AdapterClient(instanceSettings.url ?? '');
    this.scrapeMs = durationMs(instanceSettings.jsonData?.scrapeInterval, durationMs(DEFAULT_SCRAPE_INTERVAL, 15_000));
    this.variables = new TimescaleVariableSupport(this);
  }

  override getDefaultQuery(): Partial<TimescaleQuery> {
    return defaultQuery();
  }

  override filterQuery(query: TimescaleQuery): boolean {
    return isRunnable(query);
  }

  applyTemplateVariables(query: TimescaleQuery, scopedVars: ScopedVars): TimescaleQuery {
    return applyVariables(query, this.templateSrv, scopedVars, this.scrapeMs);
  }

  override interpolateVariablesInQueries(queries: TimescaleQuery[], scopedVars: ScopedVars): TimescaleQuery[] {
    return queries.map((query) => this.applyTemplateVariables(query, scopedVars));
  }

  override getQueryDisplayText(query: TimescaleQuery): string {
    return isSqlQuery(query) ? (query.sql ?? '') : query.expr || formatExpression(query);
  }

  query(request: DataQueryRequest<TimescaleQuery>): Observable<DataQueryResponse> {
    const queries: AdapterQuery[] = [];
    const errors: DataQueryError[] = [];
    for (const target of request.targets.filter(isRunnable)) {
      try {
        const applied = this.applyTemplateVariables(target, request.scopedVars);
        queries.push(toAdapterQuery(applied, { intervalMs: request.intervalMs, maxDataPoints: request.maxDataPoints }));
      } catch (err) {
        errors.push({ refId: target.refId, message: err instanceof Error ? err.message : String(err) });
      }
    }
    if (!queries.length) {
      return of(errors.length ? { data: [], errors } : { data: [] });
    }
    const body = { from: request.range.from.valueOf(), to: request.range.to.valueOf(), queries };
    return this.client.query(body, request.requestId).pipe(
      map((response) => toDataQueryResponse(response, errors)),
      catchError((err: unknown) => {
        const failure = toAdapterError(err);
        const failed = queries.map((q) => ({ refId: q.refId, message: failure.message, status: failure.status }));
        return of({ data: [], errors: [...errors, ...failed] });
      }),
    );
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    try {
      const status = await this.client.status();
      const metrics = await this.client.labelValues('__name__');
      return { status: 'success', message: describeStatus(status, metrics.length) };
    } catch (err) {
      return { status: 'error', message: toAdapterError(err).message };
    }
  }

  /**
   * The selector for looking up labels in the editor: the query's metric and matchers with the
   * dashboard's current variables applied; none (all series) if they cannot be applied yet.
   */
  lookupMatch(fields: BuilderFields): string[] {
    if (!fields.metric && !fields.matchers?.some((m) => m.label)) {
      return [];
    }
    try {
      const applied = interpolateBuilder({ metric: fields.metric, matchers: fields.matchers }, this.templateSrv, {});
      return [formatSelector(applied.metric, applied.matchers)];
    } catch {
      return [];
    }
  }

  /** Values of a template variable query (also what the query editor's pickers use). */
  variableValues(query: VariableQuery, scopedVars: ScopedVars = {}): Promise<string[]> {
    return runVariableQuery(query, this.client, this.templateSrv, scopedVars);
  }

  /** Grafana's older variable API, for callers that still use it: Prometheus-style query text. */
  override async metricFindQuery(query: string, options?: { scopedVars?: ScopedVars }): Promise<MetricFindValue[]> {
    const values = await this.variableValues(parseVariableQuery(query), options?.scopedVars);
    return values.map((text) => ({ text, value: text }));
  }
}
