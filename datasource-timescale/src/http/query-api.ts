// The query API behind the nester-timescale-datasource plugin (its label pickers use the
// Prometheus API of prometheus-api.ts):
//   POST /api/v1/ds/query  {from, to, queries: [...]}      Grafana data frames per refId

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import { HttpError } from '@nester/common/http/http-error';
import { readBody } from '@nester/common/http/read-body';
import { sendJson } from '@nester/common/http/respond';
import { RegexSyntaxError } from '@nester/common/regex/re2';
import { MatcherError } from '../query/matchers';
import { QueryError, runBuilderQuery } from '../query/range-query';
import type { SeriesSelector } from '../query/series-select';
import { SampleLimitError } from '../query/fetch';
import { MacroError } from '../query/macros';
import { runSqlQuery, SqlDisabledError, SqlQueryError, type SqlContext } from '../query/sql-query';
import type { DsQueryResponse } from '@nester/contracts/query/ds-query';
import { parseDsRequest } from './ds-request';
import type { Stats } from './stats';

export interface QueryApiOptions {
  pool: Pool;
  selector: SeriesSelector;
  sql: SqlContext;
  maxSamples: number;
  maxBodyBytes: number;
  stats: Stats;
}

export async function handleDsQuery(req: IncomingMessage, res: ServerResponse, o: QueryApiOptions): Promise<void> {
  const { from, to, queries } = parseDsRequest((await readBody(req, o.maxBodyBytes)).toString('utf8'));
  const results: DsQueryResponse['results'] = {};
  for (const entry of queries) {
    const { refId } = entry;
    o.stats.queries++;
    if ('error' in entry) {
      results[refId] = { frames: [], error: entry.error, status: 400 };
      continue;
    }
    const { query } = entry;
    try {
      const frames =
        query.kind === 'sql'
          ? [await runSqlQuery(o.sql, { refId, sql: query.sql }, { from, to, intervalMs: query.intervalMs ?? 60_000 })]
          : await runBuilderQuery(
              {
                pool: o.pool,
                selector: o.selector,
                bucketFunction: o.sql.bucketFunction,
                timeoutMs: o.sql.timeoutMs,
                maxSamples: o.maxSamples,
                maxPoints: 11_000,
              },
              query,
              from,
              to,
            );
      results[refId] = { frames };
    } catch (err) {
      const clientError = asClientError(err);
      if (clientError.status >= 500) throw err;
      results[refId] = { frames: [], error: clientError.message, status: clientError.status };
    }
  }
  const failed = Object.values(results).filter((r) => r.error);
  sendJson(res, failed.length && failed.length === Object.keys(results).length ? failed[0].status! : 200, {
    results,
  } satisfies DsQueryResponse);
}

function asClientError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof SampleLimitError) return new HttpError(422, err.message);
  if (err instanceof SqlDisabledError) return new HttpError(403, err.message);
  if (
    err instanceof MatcherError ||
    err instanceof RegexSyntaxError ||
    err instanceof QueryError ||
    err instanceof MacroError ||
    err instanceof SqlQueryError
  ) {
    return new HttpError(400, err.message);
  }
  return new HttpError(500, (err as Error).message);
}
