// Load drivers: POST pre-built bodies with a fixed number of requests in flight (as
// Prometheus' shards do), and the COPY ceiling over the same concurrency.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COPY_TRAILER, copyHeader, encodeRows } from '../src/ingest/copy-binary';

export async function postAll(url: string, bodies: Buffer[], concurrency: number, token?: string): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      for (let attempt = 0; ; attempt++) {
        // Like Prometheus: network errors and 5xx are retried, other answers are final.
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'Content-Encoding': 'snappy',
            'Content-Type': 'application/x-protobuf',
            'X-Prometheus-Remote-Write-Version': '0.1.0',
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
          },
          body,
        }).catch((err: Error) => {
          if (attempt > 5) throw err;
          return undefined;
        });
        if (!res) continue;
        const text = await res.text();
        if (res.status < 300) break;
        if (res.status < 500 || attempt > 5) throw new Error(`POST ${url}: ${res.status} ${text}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - started) / 1000;
}

/** Binary COPY of rows (series id, time, value) straight into `samples`, one committed COPY per batch. */
export async function copyAll(
  pool: Pool,
  batches: { ids: Float64Array; time: number }[],
  concurrency: number,
): Promise<number> {
  const encoded = batches.map(({ ids, time }) => {
    const values = Buffer.alloc(ids.length * 8);
    const valueAt = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      values.writeDoubleLE(i * 1.5, i * 8);
      valueAt[i] = i * 8;
    }
    return encodeRows(ids, new Float64Array(ids.length).fill(time), values, valueAt, ids.length);
  });
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (next < encoded.length) {
        // The best PostgreSQL offers: one autocommit COPY per batch (its own durable transaction).
        const rows = encoded[next++];
        await pipeline(
          Readable.from([Buffer.concat([copyHeader(), rows, COPY_TRAILER])]),
          client.query(copyFrom('COPY samples (series_id, time, value) FROM STDIN (FORMAT binary)')),
        );
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - started) / 1000;
}
