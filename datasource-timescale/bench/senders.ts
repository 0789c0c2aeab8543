// Load drivers: POST pre-built bodies with a fixed number of requests in flight (as
// Prometheus' shards do), and the COPY ceiling over the same concurrency.

import { Agent, request } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COPY_TRAILER, copyHeader, encodeRows } from '../src/ingest/copy-binary';

/**
 * POSTs every body with `concurrency` requests in flight over kept-alive connections, retrying
 * network errors and 5xx as Prometheus does. Node's http client, not fetch: the load generator
 * shares the machine with what it measures, so it should cost as little CPU as it can.
 */
export async function postAll(url: string, bodies: Buffer[], concurrency: number, token?: string): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const headers: Record<string, string> = {
    'Content-Encoding': 'snappy',
    'Content-Type': 'application/x-protobuf',
    'X-Prometheus-Remote-Write-Version': '0.1.0',
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
  };
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      for (let attempt = 0; ; attempt++) {
        const answer = await post(url, body, headers, agent).catch((err: Error) => {
          if (attempt > 5) throw err;
          return undefined;
        });
        if (!answer || (answer.status >= 500 && attempt <= 5)) continue;
        if (answer.status >= 300) throw new Error(`POST ${url}: ${answer.status} ${answer.text}`);
        break;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return (performance.now() - started) / 1000;
}

function post(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  agent: Agent,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'Content-Length': body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
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
