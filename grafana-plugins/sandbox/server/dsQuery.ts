import { IncomingMessage, ServerResponse } from 'node:http';

import { DatasourceStore } from './datasourceStore';
import { HttpError, readJson, sendJson } from './http';
import { PROMETHEUS_TYPE } from './prometheusBackend';
import { QueryResult, prometheusTarget, runPrometheusQuery } from './prometheusQuery';

/** More queries than a dashboard's panel ever sends in one request. */
const MAX_QUERIES = 100;

/**
 * POST /api/ds/query: Grafana's query endpoint for backend datasources. Only Grafana's built-in
 * Prometheus has a server half here; a query for any other datasource gets that error of its own.
 * As Grafana does, the answer is 200 when every query succeeded, else the first failure's status.
 */
export async function handleDsQuery(
  req: IncomingMessage,
  res: ServerResponse,
  store: DatasourceStore,
  log: (line: string) => void,
): Promise<void> {
  const body = await readJson(req);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'Send {queries, from, to}');
  const { queries, from, to } = body as { queries?: unknown; from?: unknown; to?: unknown };
  if (!Array.isArray(queries) || queries.length === 0) throw new HttpError(400, 'queries must be a non-empty list');
  if (queries.length > MAX_QUERIES) throw new HttpError(400, `at most ${MAX_QUERIES} queries per request`);
  const fromMs = timeOf(from, 'from');
  const toMs = timeOf(to, 'to');
  if (fromMs > toMs) throw new HttpError(400, '"from" is after "to"');

  const results: Record<string, QueryResult> = {};
  for (const raw of queries) {
    const target = prometheusTarget(raw);
    const uid = (raw as { datasource?: { uid?: unknown } }).datasource?.uid;
    const datasource = typeof uid === 'string' ? store.get(uid) : undefined;
    if (!datasource) {
      results[target.refId] = { status: 404, frames: [], error: `data source ${JSON.stringify(uid)} not found` };
    } else if (datasource.type !== PROMETHEUS_TYPE) {
      results[target.refId] = {
        status: 400,
        frames: [],
        error: `the sandbox has no backend for datasources of type ${datasource.type}`,
      };
    } else {
      results[target.refId] = await runPrometheusQuery(datasource, target, fromMs, toMs);
    }
    log(`ds/query ${String(uid)} ${target.refId} ${results[target.refId].status}`);
  }
  const failed = Object.values(results).find((result) => result.error);
  sendJson(res, failed ? failed.status : 200, { results });
}

/** Epoch milliseconds, as a number or the string Grafana's frontend sends. */
function timeOf(value: unknown, name: string): number {
  const ms = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0) {
    throw new HttpError(400, `"${name}" must be epoch milliseconds`);
  }
  return ms;
}
