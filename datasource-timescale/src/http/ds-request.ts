// The body of POST /api/v1/ds/query, checked at the edge: JSON of the documented shape, times a
// query may name, each query's fields of the right types. Whatever is wrong with one query is
// that query's 400; the others still run.

import { HttpError } from '@nester/common/http/http-error';
import type { BuilderQuery } from '../query/builder-query';
import { MAX_SPAN_MS, TIME_BOUNDS_TEXT, withinTimeBounds } from '../query/time-bounds';

export type DsQuery = BuilderQuery & { kind: 'builder' | 'sql'; sql: string };

export interface DsRequest {
  from: number;
  to: number;
  /** In request order; hidden queries left out. */
  queries: ({ refId: string; query: DsQuery } | { refId: string; error: string })[];
}

export function parseDsRequest(text: string): DsRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `body is not JSON: ${(err as Error).message}`);
  }
  if (!isObject(body)) throw new HttpError(400, 'body must be a JSON object {from, to, queries}');
  const from = toMs(body.from, 'from');
  const to = toMs(body.to, 'to');
  if (to < from) throw new HttpError(400, '"to" is before "from"');
  if (!Array.isArray(body.queries)) throw new HttpError(400, 'body needs "queries": an array of queries');
  const queries: DsRequest['queries'] = [];
  body.queries.forEach((raw: unknown, index: number) => {
    if (!isObject(raw)) {
      queries.push({ refId: String(index), error: `query ${index} is not an object` });
      return;
    }
    const refId = typeof raw.refId === 'string' || typeof raw.refId === 'number' ? String(raw.refId) : 'A';
    if (raw.hide === true) return;
    try {
      queries.push({ refId, query: checkQuery(raw, refId) });
    } catch (err) {
      queries.push({ refId, error: (err as Error).message });
    }
  });
  return { from, to, queries };
}

function checkQuery(q: Record<string, unknown>, refId: string): DsQuery {
  const kind = q.kind ?? 'builder';
  if (kind !== 'builder' && kind !== 'sql') throw new Error(`"kind" must be "builder" or "sql"`);
  return {
    refId,
    kind,
    sql: optional(q, 'sql', 'string') ?? '',
    selector: optional(q, 'selector', 'string') ?? '',
    function: (optional(q, 'function', 'string') || undefined) as BuilderQuery['function'],
    range: durationField(q, 'range'),
    step: durationField(q, 'step'),
    intervalMs: positiveNumber(q, 'intervalMs', MAX_SPAN_MS),
    maxDataPoints: positiveNumber(q, 'maxDataPoints', Number.MAX_SAFE_INTEGER),
    legendFormat: optional(q, 'legendFormat', 'string'),
    aggregation: aggregationField(q.aggregation),
  };
}

function optional(q: Record<string, unknown>, key: string, type: 'string'): string | undefined {
  const value = q[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) throw new Error(`"${key}" must be a ${type}`);
  return value as string;
}

function durationField(q: Record<string, unknown>, key: string): string | number | undefined {
  const value = q[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new Error(`"${key}" must be a duration like 15s or a number of milliseconds`);
  }
  return value;
}

function positiveNumber(q: Record<string, unknown>, key: string, max: number): number | undefined {
  const value = q[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new Error(`"${key}" must be a positive number, at most ${max}`);
  }
  return value;
}

function aggregationField(value: unknown): BuilderQuery['aggregation'] {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new Error('"aggregation" must be an object {op, by} or {op, without}');
  const labels = (key: 'by' | 'without') => {
    const list = value[key];
    if (list === undefined || list === null) return undefined;
    if (!Array.isArray(list) || !list.every((name): name is string => typeof name === 'string')) {
      throw new Error(`"aggregation.${key}" must be a list of label names`);
    }
    return list;
  };
  const op = value.op;
  if (op !== undefined && op !== null && typeof op !== 'string') throw new Error('"aggregation.op" must be a string');
  return {
    op: (op ?? '') as NonNullable<BuilderQuery['aggregation']>['op'],
    by: labels('by'),
    without: labels('without'),
  };
}

function toMs(value: unknown, what: string): number {
  const ms =
    typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) || Number(value) : Number.NaN;
  if (!withinTimeBounds(ms)) {
    throw new HttpError(400, `"${what}" must be epoch milliseconds or an RFC 3339 time, ${TIME_BOUNDS_TEXT}`);
  }
  return ms;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
