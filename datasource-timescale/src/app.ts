// Wires the adapter together: database, migrations, storage detection, caches, HTTP server
// and maintenance. Used by the CLI and by the tests (which start it in-process).

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { openDatabase } from '@nester/common/db/open';
import { migrate } from '@nester/common/db/migrate';
import type { Logger } from '@nester/common/log/logger';
import type { AdapterStatus } from '@nester/contracts/query/adapter-status';
import { TokenSet, type Role } from './config/tokens';
import { SampleWriter } from './ingest/writer';
import { SeriesSelector } from './query/series-select';
import { createAdapterServer } from './http/server';
import { newStats } from './http/stats';
import { detectCapabilities, storageMode, type StorageMode } from './storage/detect';
import { maintenanceJob, timescaleJobs } from './storage/jobs';
import { needsMaintenance, newMaintenanceState, runRecorded, scheduleMaintenance } from './storage/maintenance';
import { adapterMigrations, COMPONENT, isHypertable } from './storage/migrations';
import { openSqlReader, READER_RELATIONS, type SqlReader } from './storage/sql-reader';
import { PartitionManager } from './storage/partitions';
import { SeriesStore } from './storage/series-store';
import { MetadataStore } from './storage/metadata-store';
import { applyStorageSettings } from './storage/settings';
import { ConcurrencyLimiter } from './promql/limiter';

export interface AdapterConfig {
  /** The adapter's version (buildinfo names it); "dev" when not given. */
  version?: string;
  listen: { host?: string; port: number };
  /** --web.tls-cert / --web.tls-key read: serve HTTPS only. */
  tls?: { cert: Buffer; key: Buffer };
  dbUrl?: string;
  /** Login of the raw SQL role; else created when the owner may (storage/sql-reader.ts). */
  sqlReaderUrl?: string;
  dataDir: string;
  writers: number;
  readers: number;
  tokens: Record<Role, TokenSet>;
  authDisabled: boolean;
  retentionMs: number;
  chunkIntervalMs: number;
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  maxSeries: number;
  maxLabels: number;
  maxLabelValueLength: number;
  maxFutureMs: number;
  seriesCacheSize: number;
  queryTimeoutMs: number;
  maxSamples: number;
  maxRows: number;
  /** --query.lookback-delta (5 min) and --query.max-concurrency (4) of the PromQL engine. */
  lookbackDeltaMs?: number;
  maxConcurrency?: number;
  /** How often the adapter's own maintenance runs (no flag: tests shorten it); 10 min by default. */
  maintenanceEveryMs?: number;
  log: Logger;
}

export interface RunningAdapter {
  server: Server;
  port: number;
  mode: StorageMode;
  close(): Promise<void>;
}

export async function startAdapter(c: AdapterConfig): Promise<RunningAdapter> {
  const { log } = c;
  const startedAt = new Date();
  const db = await openDatabase({
    url: c.dbUrl,
    dataDir: c.dataDir,
    embeddedDatabase: 'metrics',
    log,
    pool: { max: c.writers + c.readers, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 60_000 },
  });
  const { pool } = db;
  let reader: SqlReader | undefined;
  try {
    await migrate(
      pool,
      COMPONENT,
      adapterMigrations({ chunkIntervalMs: c.chunkIntervalMs, retentionMs: c.retentionMs }),
      log,
    );
    const caps = await detectCapabilities(pool);
    const mode = storageMode(caps, await isHypertable(pool));
    await applyStorageSettings(pool, mode, { retentionMs: c.retentionMs, chunkIntervalMs: c.chunkIntervalMs }, log);
    const partitions =
      mode.partitioning === 'native range partitions' ? new PartitionManager(pool, c.chunkIntervalMs) : undefined;
    await partitions?.load();
    const maintenance = { pool, partitions, mode, retentionMs: c.retentionMs, chunkIntervalMs: c.chunkIntervalMs, log };
    const maintenanceState = newMaintenanceState(c.maintenanceEveryMs);
    let stopMaintenance = () => {};
    if (needsMaintenance(maintenance)) {
      await runRecorded(maintenance, maintenanceState);
      stopMaintenance = scheduleMaintenance(maintenance, maintenanceState);
    }
    log.info(
      {
        database: db.description,
        postgres: caps.serverVersion,
        timescaledb: caps.timescaledb ?? null,
        license: caps.license ?? null,
        ...mode,
      },
      mode.engine === 'timescaledb'
        ? 'storage: TimescaleDB hypertable'
        : `storage: plain PostgreSQL ${caps.serverVersion} with native partitions (${caps.timescaledbAvailable ? 'TimescaleDB available but the samples table predates it' : 'TimescaleDB not available'})`,
    );
    if (mode.retention === 'timescaledb retention policy' && caps.backgroundWorkers === 0) {
      log.warn(
        'timescaledb.max_background_workers is 0: the retention and compression policies never run on their own ' +
          '(set it in postgresql.conf, or run them with CALL run_job(<id>); ids on /api/v1/status)',
      );
    }

    const seriesStore = new SeriesStore(pool, c.seriesCacheSize);
    const writer = new SampleWriter(pool, seriesStore, partitions, c.writers);
    const selector = new SeriesSelector(pool);
    const metadata = new MetadataStore(pool);
    const stats = newStats();
    reader = await openSqlReader({
      owner: pool,
      ownerUrl: c.dbUrl,
      readerUrl: c.sqlReaderUrl,
      max: c.readers,
      timeoutMs: c.queryTimeoutMs,
      log,
    });
    if (reader.pool) {
      log.info({ role: reader.role }, `raw SQL logs in as ${reader.role} (SELECT on ${READER_RELATIONS.join(', ')})`);
    } else {
      log.warn(
        `raw SQL is disabled: ${reader.disabled}. To enable it, create a role as the README says and give --db.sql-reader-url`,
      );
    }
    const rawSql: AdapterStatus['rawSql'] = reader.pool
      ? { enabled: true, role: reader.role }
      : { enabled: false, reason: reader.disabled };
    let ready = false;
    // One engine: PromQL and the datasource's builder queries share its options and its slots.
    const engine = {
      pool,
      selector,
      timeoutMs: c.queryTimeoutMs,
      maxSamples: c.maxSamples,
      lookbackMs: c.lookbackDeltaMs ?? 300_000,
      limiter: new ConcurrencyLimiter(c.maxConcurrency ?? 4),
    };

    const server = createAdapterServer({
      log,
      tokens: c.tokens,
      authDisabled: c.authDisabled,
      tls: c.tls,
      ready: () => ready,
      write: {
        writer,
        cache: seriesStore.cache,
        metadata,
        log,
        stats,
        maxBodyBytes: c.maxBodyBytes,
        maxDecompressedBytes: c.maxDecompressedBytes,
        limits: {
          maxSeries: c.maxSeries,
          maxLabels: c.maxLabels,
          maxNameLength: 1024,
          maxValueLength: c.maxLabelValueLength,
        },
        retentionMs: c.retentionMs,
        maxFutureMs: c.maxFutureMs,
      },
      read: {
        pool,
        selector,
        maxBodyBytes: c.maxBodyBytes,
        maxSamples: c.maxSamples,
        timeoutMs: c.queryTimeoutMs,
        stats,
      },
      prometheus: {
        selector,
        metadata,
        adapterVersion: c.version ?? 'dev',
        startedAt,
        retentionMs: c.retentionMs,
      },
      stats,
      cache: () => ({ size: seriesStore.cache.size, hits: seriesStore.cache.hits, misses: seriesStore.cache.misses }),
      promql: engine,
      query: {
        engine,
        maxBodyBytes: c.maxBodyBytes,
        stats,
        sql: {
          pool: reader.pool,
          disabled: reader.pool ? undefined : reader.disabled,
          timeoutMs: c.queryTimeoutMs,
          maxRows: c.maxRows,
          bucketFunction: mode.bucketFunction,
        },
      },
      status: async () => ({
        storage: {
          ...mode,
          postgres: caps.serverVersion,
          timescaledb: caps.timescaledb ?? null,
          license: caps.license ?? null,
          backgroundWorkers: caps.backgroundWorkers ?? null,
        },
        database: db.description,
        rawSql,
        retentionMs: c.retentionMs,
        chunkIntervalMs: c.chunkIntervalMs,
        // Without the adapter's maintenance, TimescaleDB's policies do its work.
        jobs: needsMaintenance(maintenance) ? [maintenanceJob(mode, maintenanceState)] : await timescaleJobs(pool),
        seriesCache: { size: seriesStore.cache.size, hits: seriesStore.cache.hits, misses: seriesStore.cache.misses },
        stats,
      }),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(c.listen.port, c.listen.host, () => resolve());
    });
    ready = true;
    const port = (server.address() as AddressInfo).port;
    log.info(
      { address: c.listen.host ?? '0.0.0.0', port, tls: Boolean(c.tls) },
      `timescale-adapter is listening (${c.tls ? 'HTTPS' : 'plain HTTP: tokens cross the network in clear; give --web.tls-cert and --web.tls-key'})`,
    );
    return {
      server,
      port,
      mode,
      close: async () => {
        ready = false;
        stopMaintenance();
        // Finish requests in flight (a write is acknowledged only after its commit), then cut the rest.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
        server.closeAllConnections();
        await reader?.pool?.end();
        await db.close();
      },
    };
  } catch (err) {
    await reader?.pool?.end().catch(() => {});
    await db.close().catch(() => {});
    throw err;
  }
}
