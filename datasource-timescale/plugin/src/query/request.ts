// From a panel's query to the adapter's: dashboard variables applied (once, here), then the
// builder fields written as the adapter's selector/function/aggregation JSON, or the SQL sent.
import { ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';
import type { AdapterQuery } from '@nester/contracts/query/ds-query';

import { TimescaleQuery } from '../types';
import { interpolateBuilder } from './interpolate';
import { parseExpr } from './parseExpr';
import { formatSelector } from './promql';
import { interpolateSql } from './sqlInterpolate';

export function isSqlQuery(query: TimescaleQuery): boolean {
  return query.mode === 'sql';
}

/** Whether there is anything to run: SQL text, an expression, or a metric or matcher. */
export function isRunnable(query: TimescaleQuery): boolean {
  if (query.hide) {
    return false;
  }
  if (isSqlQuery(query)) {
    return Boolean(query.sql?.trim());
  }
  return Boolean(query.expr?.trim() || query.metric || query.matchers?.some((m) => m.label));
}

/** Grafana's $__rate_interval: max($__interval + scrape interval, 4 × scrape interval). */
export function rateInterval(intervalMs: number, scrapeMs: number): string {
  return `${Math.max(intervalMs + scrapeMs, 4 * scrapeMs)}ms`;
}

/** The query with every dashboard variable applied and escaped (its `expr`, if any, as fields). */
export function applyVariables(
  query: TimescaleQuery,
  templateSrv: TemplateSrv,
  scopedVars: ScopedVars,
  scrapeMs: number,
): TimescaleQuery {
  if (isSqlQuery(query)) {
    return { ...query, sql: interpolateSql(query.sql ?? '', templateSrv, scopedVars) };
  }
  const intervalMs = Number(scopedVars.__interval_ms?.value) || scrapeMs;
  const vars: ScopedVars = {
    __rate_interval: { text: rateInterval(intervalMs, scrapeMs), value: rateInterval(intervalMs, scrapeMs) },
    ...scopedVars,
  };
  const fields = query.expr?.trim() ? parseExpr(query.expr) : query;
  return {
    ...query,
    ...interpolateBuilder(fields, templateSrv, vars),
    expr: undefined,
    legendFormat: query.legendFormat ? templateSrv.replace(query.legendFormat, vars) : undefined,
  };
}

/** The adapter's JSON for a query whose variables are already applied. */
export function toAdapterQuery(
  query: TimescaleQuery,
  options: { intervalMs: number; maxDataPoints?: number },
): AdapterQuery {
  if (isSqlQuery(query)) {
    return { refId: query.refId, kind: 'sql', sql: query.sql ?? '', intervalMs: options.intervalMs };
  }
  const aggregation = query.aggregation;
  return {
    refId: query.refId,
    selector: formatSelector(query.metric, query.matchers),
    function: query.function || undefined,
    range: query.function ? query.range : undefined,
    aggregation: aggregation
      ? { op: aggregation.op, ...(aggregation.labels.length ? { [aggregation.mode]: aggregation.labels } : {}) }
      : undefined,
    intervalMs: options.intervalMs,
    maxDataPoints: options.maxDataPoints,
    legendFormat: query.legendFormat || undefined,
  };
}
