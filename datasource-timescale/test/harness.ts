/* eslint-disable @typescript-eslint/no-explicit-any -- tests look into response JSON freely */
// Starts the adapter in-process on a fresh test database, with real tokens, for integration tests.

import { createLogger } from '@nester/common/log/logger';
import { createTestDatabase, type TestDatabase } from '@nester/testing/database';
import { testPool } from '@nester/testing/pool';
import { snappyCompress } from '@nester/common/prompb/snappy';
import { encodeWriteRequest } from '@nester/common/prompb/write';
import type { TimeSeries } from '@nester/common/prompb/types';
import { Client, Pool } from 'pg';
import { startAdapter, type AdapterConfig, type RunningAdapter } from '../src/app';
import { TokenSet } from '../src/config/tokens';
import { readerRoleName } from '../src/storage/sql-reader';

export const WRITE_TOKEN = 'write-token-0123456789abcdef';
export const READ_TOKEN = 'read-token-0123456789abcdef';

export interface Harness {
  adapter: RunningAdapter;
  url: string;
  db: TestDatabase;
  pool: Pool;
  stop(): Promise<void>;
}

export function adapterConfig(dbUrl: string, overrides: Partial<AdapterConfig> = {}): AdapterConfig {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    dbUrl,
    dataDir: '/nonexistent',
    writers: 2,
    readers: 2,
    tokens: { write: new TokenSet([WRITE_TOKEN]), read: new TokenSet([READ_TOKEN]) },
    authDisabled: false,
    retentionMs: 90 * 86_400_000,
    chunkIntervalMs: 8 * 3_600_000,
    maxBodyBytes: 1 << 20,
    maxDecompressedBytes: 8 << 20,
    maxSeries: 1000,
    maxLabels: 30,
    maxLabelValueLength: 2048,
    maxFutureMs: 3_600_000,
    seriesCacheSize: 10_000,
    queryTimeoutMs: 2_000,
    maxSamples: 1_000_000,
    maxRows: 1000,
    log: createLogger({ name: 'adapter-test', level: process.env.ADAPTER_TEST_LOG ?? 'error' }),
    ...overrides,
  };
}

/**
 * A fresh test database; dropping it also drops the raw SQL role the adapter created for it
 * (roles belong to the cluster, which many test databases share).
 */
export async function createAdapterDatabase(prefix: string): Promise<TestDatabase> {
  const db = await createTestDatabase(prefix);
  return {
    url: db.url,
    drop: async () => {
      await db.drop();
      const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      try {
        const name = new URL(db.url).pathname.slice(1);
        await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(readerRoleName(name))}`);
      } finally {
        await admin.end();
      }
    },
  };
}

export async function startHarness(prefix: string, overrides: Partial<AdapterConfig> = {}): Promise<Harness> {
  const db = await createAdapterDatabase(prefix);
  const adapter = await startAdapter(adapterConfig(db.url, overrides));
  // Ended (every connection closed) before the database is dropped: see @nester/testing/pool.
  const { pool, end: endPool } = testPool(db.url, 2);
  return {
    adapter,
    db,
    pool,
    url: `http://127.0.0.1:${adapter.port}`,
    stop: async () => {
      await adapter.close();
      await endPool();
      await db.drop();
    },
  };
}

export async function remoteWrite(
  url: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/api/v1/write`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${WRITE_TOKEN}`,
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
      ...headers,
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

export function writeBody(timeseries: TimeSeries[]): Buffer {
  return snappyCompress(encodeWriteRequest({ timeseries }));
}

export function series(name: string, labels: Record<string, string>, samples: [number, number][]): TimeSeries {
  const all = { __name__: name, ...labels };
  return {
    labels: Object.keys(all)
      .sort()
      .map((key) => ({ name: key, value: all[key as keyof typeof all] })),
    samples: samples.map(([timestamp, value]) => ({ timestamp, value })),
  };
}

export async function getJson(
  url: string,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${READ_TOKEN}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

/** All stored samples as comparable rows, stale markers shown by their bits. */
export async function storedRows(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ row: string }>(
    `SELECT s.labels::text || ' ' || (extract(epoch FROM x.time) * 1000)::bigint || ' ' ||
            CASE WHEN x.value = 'NaN' THEN encode(float8send(x.value), 'hex') ELSE x.value::text END AS row
       FROM samples x JOIN series s ON s.id = x.series_id ORDER BY 1`,
  );
  return rows.map((r) => r.row);
}

/** The adapter's sample reads (fetch.ts' COPY) running in PostgreSQL now. */
export async function runningSampleReads(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND state = 'active' AND query LIKE 'COPY (SELECT s.id%'`,
  );
  return Number(rows[0].n);
}
