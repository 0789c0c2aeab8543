// POST /api/v1/read: Prometheus remote_read with the SAMPLES response type (what Prometheus
// 2.x clients ask for): each query's matchers select series, whose raw samples in the range
// come back in one snappy-compressed ReadResponse, stale markers bit-exact. Its SQL is bounded
// as a PromQL query's is: the sample reads get the query timeout (--query.timeout) as their
// statement_timeout, counted from the request's arrival, and are cancelled in PostgreSQL
// (pg_cancel_backend, in fetchSamples) when the client goes away before its answer.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeReadRequest, encodeReadResponse } from '@nester/common/prompb/read';
import { snappyCompress, SnappyError } from '@nester/common/prompb/snappy';
import { ReadResponseType, type QueryResult, type Sample } from '@nester/common/prompb/types';
import { ProtoError } from '@nester/common/prompb/wire';
import type { Pool } from 'pg';
import { HttpError } from '@nester/common/http/http-error';
import { readBody } from '@nester/common/http/read-body';
import { fetchSamples, SampleLimitError } from '../query/fetch';
import { compileMatcher, MatcherError } from '../query/matchers';
import { RegexSyntaxError } from '@nester/common/regex/re2';
import type { SeriesSelector } from '../query/series-select';
import { clampTime } from '../query/time-bounds';
import { uncompressBody } from './uncompress';
import type { Stats } from './stats';

export interface ReadHandlerOptions {
  pool: Pool;
  selector: SeriesSelector;
  maxBodyBytes: number;
  maxSamples: number;
  /** --query.timeout: the whole request's deadline, as for /api/v1/query. */
  timeoutMs: number;
  stats: Stats;
}

/** SQLSTATE query_canceled: statement_timeout passed, or pg_cancel_backend. */
const QUERY_CANCELED = '57014';

export async function handleRead(req: IncomingMessage, res: ServerResponse, o: ReadHandlerOptions): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  const abort = new AbortController();
  const onClose = () => {
    if (!res.writableEnded) abort.abort();
  };
  res.on('close', onClose);
  try {
    await answerRead(req, res, o, deadline, abort.signal);
  } finally {
    res.off('close', onClose);
  }
}

async function answerRead(
  req: IncomingMessage,
  res: ServerResponse,
  o: ReadHandlerOptions,
  deadline: number,
  signal: AbortSignal,
): Promise<void> {
  const compressed = await readBody(req, o.maxBodyBytes);
  let request;
  try {
    request = decodeReadRequest(await uncompressBody(compressed, o.maxBodyBytes * 8));
  } catch (err) {
    if (err instanceof SnappyError || err instanceof ProtoError) {
      throw new HttpError(400, `body is not a snappy-compressed prometheus.ReadRequest: ${err.message}`);
    }
    throw err;
  }
  const accepted = request.acceptedResponseTypes;
  if (accepted.length && !accepted.includes(ReadResponseType.SAMPLES)) {
    throw new HttpError(400, 'only the SAMPLES response type is supported; streamed chunks are not');
  }
  const results: QueryResult[] = [];
  let budget = o.maxSamples;
  for (const query of request.queries) {
    let matchers;
    try {
      matchers = query.matchers.map(compileMatcher);
    } catch (err) {
      if (err instanceof MatcherError || err instanceof RegexSyntaxError) throw new HttpError(400, err.message);
      throw err;
    }
    const series = await o.selector.select(matchers);
    let samples;
    try {
      if (signal.aborted) throw new HttpError(499, 'remote_read canceled: the client went away');
      const timeoutMs = deadline - Date.now();
      if (timeoutMs <= 0) throw timedOut(o.timeoutMs);
      samples = await fetchSamples(
        o.pool,
        series.map((s) => s.id),
        clampTime(query.startTimestampMs),
        clampTime(query.endTimestampMs),
        budget,
        { timeoutMs, signal },
      );
    } catch (err) {
      if (err instanceof SampleLimitError) throw new HttpError(413, err.message);
      if (signal.aborted) throw new HttpError(499, 'remote_read canceled: the client went away');
      if ((err as { code?: string }).code === QUERY_CANCELED) throw timedOut(o.timeoutMs);
      throw err;
    }
    const timeseries: QueryResult['timeseries'] = [];
    for (const s of series) {
      const data = samples.get(s.id);
      if (!data || data.length === 0) continue;
      budget -= data.length;
      const list = new Array<Sample>(data.length);
      for (let i = 0; i < data.length; i++) {
        list[i] = data.stale[i]
          ? { value: NaN, timestamp: data.times[i], stale: true }
          : { value: data.values[i], timestamp: data.times[i] };
      }
      timeseries.push({ labels: s.labels, samples: list });
    }
    results.push({ timeseries });
  }
  o.stats.readRequests++;
  const body = snappyCompress(encodeReadResponse({ results }));
  res.writeHead(200, {
    'Content-Type': 'application/x-protobuf',
    'Content-Encoding': 'snappy',
    'Content-Length': body.length,
  });
  res.end(body);
}

function timedOut(timeoutMs: number): HttpError {
  return new HttpError(
    503,
    `remote_read timed out: its sample reads took longer than the query timeout (${timeoutMs} ms)`,
  );
}
