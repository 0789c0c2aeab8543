// The query API behind the nester-timescale-datasource plugin (its label pickers use the
// Prometheus API of prometheus-api.ts):
//   POST /api/v1/ds/query  {from, to, queries: [...]}      Grafana data frames per refId
// Builder queries are compiled to PromQL and run on the engine of /api/v1/query_range
// (query/builder-query.ts); raw SQL queries on the reader role's pool (query/sql-query.ts).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '@nester/common/http/http-error';
import { readBody } from '@nester/common/http/read-body';
import { sendJson } from '@nester/common/http/respond';
import { RegexSyntaxError } from '@nester/common/regex/re2';
import { MatcherError } from '../query/matchers';
import { BuilderError } from '@nester/contracts/query/builder-promql';
import { QueryCanceledError, QueryTimeoutError, TooManySamplesError } from '../promql/engine';
import { ParseError } from '../promql/parse';
import { BadQueryError } from '../promql/query';
import { FunctionError } from '../promql/range-functions';
import { ExecutionError } from '../promql/vector';
import { QueryError, runBuilderQuery, type EngineOptions } from '../query/builder-query';
import { MacroError } from '../query/macros';
import { runSqlQuery, SqlDisabledError, SqlQueryError, type SqlContext } from '../query/sql-query';
import type { DsQueryResponse, DsQueryResult } from '@nester/contracts/query/ds-query';
import { parseDsRequest, type DsRequest } from './ds-request';
import type { Stats } from './stats';

export interface QueryApiOptions {
  /** Builder queries run on the PromQL engine with /api/v1/query_range's options. */
  engine: EngineOptions;
  sql: SqlContext;
  maxBodyBytes: number;
  stats: Stats;
}

export async function handleDsQuery(req: IncomingMessage, res: ServerResponse, o: QueryApiOptions): Promise<void> {
  const request = parseDsRequest((await readBody(req, o.maxBodyBytes)).toString('utf8'));
  const results: DsQueryResponse['results'] = {};
  // A client that goes away cancels the engine's reads (as on /api/v1/query_range).
  const abort = new AbortController();
  const onClose = () => {
    if (!res.writableEnded) abort.abort();
  };
  res.on('close', onClose);
  try {
    for (const entry of request.queries) {
      o.stats.queries++;
      results[entry.refId] = await runOne(entry, request, o, abort.signal);
    }
  } finally {
    res.off('close', onClose);
  }
  if (res.destroyed) return;
  const failed = Object.values(results).filter((r) => r.error);
  sendJson(res, failed.length && failed.length === Object.keys(results).length ? failed[0].status! : 200, {
    results,
  } satisfies DsQueryResponse);
}

/** One query's frames, or its failure with its status; the server's own failures are rethrown. */
async function runOne(
  entry: DsRequest['queries'][number],
  { from, to }: DsRequest,
  o: QueryApiOptions,
  signal: AbortSignal,
): Promise<DsQueryResult> {
  if ('error' in entry) return { frames: [], error: entry.error, status: 400 };
  const { refId, query } = entry;
  try {
    const frames =
      query.kind === 'sql'
        ? [await runSqlQuery(o.sql, { refId, sql: query.sql }, { from, to, intervalMs: query.intervalMs ?? 60_000 })]
        : await runBuilderQuery(o.engine, query, from, to, signal);
    return { frames };
  } catch (err) {
    const clientError = asClientError(err, o.engine.maxSamples);
    if (!clientError) throw err;
    return { frames: [], error: clientError.message, status: clientError.status };
  }
}

/** The query's own failure as its status and words; undefined for the server's (rethrown). */
function asClientError(err: unknown, maxSamples: number): HttpError | undefined {
  if (err instanceof HttpError) return err.status >= 500 ? undefined : err;
  if (err instanceof TooManySamplesError) {
    return new HttpError(422, `${err.message}: more than ${maxSamples} samples; narrow the time range or the selector`);
  }
  if (err instanceof ExecutionError || err instanceof FunctionError) return new HttpError(422, err.message);
  if (err instanceof QueryTimeoutError) return new HttpError(503, err.message);
  if (err instanceof QueryCanceledError) return new HttpError(499, err.message);
  if (err instanceof SqlDisabledError) return new HttpError(403, err.message);
  if (
    err instanceof MatcherError ||
    err instanceof RegexSyntaxError ||
    err instanceof QueryError ||
    err instanceof BuilderError ||
    err instanceof ParseError ||
    err instanceof BadQueryError ||
    err instanceof MacroError ||
    err instanceof SqlQueryError
  ) {
    return new HttpError(400, err.message);
  }
  return undefined;
}
