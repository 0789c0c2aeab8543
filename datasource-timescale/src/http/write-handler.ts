// POST /api/v1/write: Prometheus remote_write 1.0. The response contract is what lets a
// sender neither lose data nor retry forever: 204 once committed; 400 with a reason for what
// can never succeed (the valid series of a request are still stored); 413 over the size
// limits; 415 for encodings and protocol versions not spoken here; 503 while the database
// is unavailable, which senders retry.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProtoError } from '@nester/common/prompb/wire';
import { SnappyError } from '@nester/common/prompb/snappy';
import type { Logger } from '@nester/common/log/logger';
import { HttpError } from '@nester/common/http/http-error';
import { readBody } from '@nester/common/http/read-body';
import { sendText } from '@nester/common/http/respond';
import { decodeWrite, type DecodeLimits } from '../ingest/decode';
import type { SampleWriter } from '../ingest/writer';
import type { SeriesCache } from '../storage/series-cache';
import type { MetadataStore } from '../storage/metadata-store';
import { isTransientDbError } from './transient-db-error';
import { uncompressBody } from './uncompress';
import type { Stats } from './stats';

export interface WriteHandlerOptions {
  writer: SampleWriter;
  cache: SeriesCache;
  /** Where MetricMetadata entries go (for /api/v1/metadata). */
  metadata: MetadataStore;
  log: Logger;
  stats: Stats;
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  limits: Omit<DecodeLimits, 'minTime' | 'maxTime'>;
  retentionMs: number;
  maxFutureMs: number;
}

export async function handleWrite(req: IncomingMessage, res: ServerResponse, o: WriteHandlerOptions): Promise<void> {
  checkContentHeaders(req);
  const compressed = await readBody(req, o.maxBodyBytes);
  let body: Buffer;
  try {
    body = await uncompressBody(compressed, o.maxDecompressedBytes);
  } catch (err) {
    if (err instanceof SnappyError && /exceeds the limit/.test(err.message)) throw new HttpError(413, err.message);
    if (err instanceof SnappyError) throw new HttpError(400, `body is not snappy block-compressed: ${err.message}`);
    throw err;
  }
  const now = Date.now();
  let decoded;
  try {
    decoded = decodeWrite(body, { ...o.limits, minTime: now - o.retentionMs, maxTime: now + o.maxFutureMs }, o.cache);
  } catch (err) {
    if (err instanceof ProtoError)
      throw new HttpError(400, `body is not a valid prometheus.WriteRequest: ${err.message}`);
    throw err;
  }
  try {
    await Promise.all([o.writer.write(decoded), o.metadata.store(decoded.metadata)]);
  } catch (err) {
    o.stats.writeFailures++;
    if (isTransientDbError(err)) {
      o.log.warn(
        { err: (err as Error).message },
        'remote_write not stored: database unavailable; the sender will retry',
      );
      throw new HttpError(503, `database unavailable, retry later: ${(err as Error).message}`, { 'Retry-After': '5' });
    }
    o.log.error({ err: (err as Error).message, code: (err as { code?: string }).code }, 'remote_write failed');
    throw new HttpError(500, `storing the samples failed: ${(err as Error).message}`);
  }
  o.stats.samplesWritten += decoded.sampleCount;
  o.stats.staleMarkers += decoded.staleMarkers;
  o.stats.samplesTooOld += decoded.tooOld;
  if (decoded.problemCount) {
    o.stats.samplesRejected += decoded.rejectedSamples;
    const shown = decoded.problems.slice(0, 5).join('; ');
    o.log.warn({ rejected: decoded.rejectedSamples, stored: decoded.sampleCount }, `remote_write: refused ${shown}`);
    sendText(
      res,
      400,
      `stored ${decoded.sampleCount} samples; refused ${decoded.rejectedSamples} samples: ${shown}` +
        (decoded.problemCount > 5 ? ` (${decoded.problemCount} problems in all)` : ''),
    );
    return;
  }
  res.writeHead(204);
  res.end();
}

function checkContentHeaders(req: IncomingMessage): void {
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== 'snappy') {
    throw new HttpError(
      415,
      `Content-Encoding ${JSON.stringify(encoding || '(none)')} is not supported; remote_write bodies are snappy block-compressed`,
    );
  }
  const type = (req.headers['content-type'] ?? '').toLowerCase().replace(/\s+/g, '');
  if (!type) return;
  if (!type.startsWith('application/x-protobuf')) {
    throw new HttpError(415, `Content-Type ${JSON.stringify(type)} is not supported; send application/x-protobuf`);
  }
  const proto = /;proto=([^;]+)/.exec(type)?.[1];
  if (proto && proto !== 'prometheus.writerequest') {
    throw new HttpError(
      415,
      `remote write message ${proto} is not supported yet; send prometheus.WriteRequest (remote write 1.0)`,
    );
  }
}
