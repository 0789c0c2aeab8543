#!/usr/bin/env node
// timescale-adapter: Prometheus remote_write/remote_read and the Grafana query API on
// TimescaleDB or plain PostgreSQL.

import { parseCommand } from '@nester/common/cli/command';
import { type FlagNamesOfType, redactedValues, UsageError } from '@nester/common/config/flags';
import { runMain } from '@nester/common/cli/run';
import { createLogger } from '@nester/common/log/logger';
import { startAdapter, type AdapterConfig } from './app';
import { ADAPTER_COMMAND, ADAPTER_FLAGS, type AdapterFlagValues } from './config/flags';
import { parseListenAddress } from '@nester/common/config/listen';
import { loadTokens } from './config/tokens';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildVersion } from '@nester/common/build/version';

runMain(
  'timescale-adapter',
  async (argv) => {
    if (argv[0] === 'check-config') return checkConfig(argv.slice(1));
    await serve(argv);
  },
  { version: () => buildVersion(join(__dirname, '..', '..', 'package.json')) },
);

/** `timescale-adapter check-config [flags]`: every check the server makes before it starts (token files read), nothing started. */
function checkConfig(argv: string[]): void {
  const command = {
    ...ADAPTER_COMMAND,
    usage: 'timescale-adapter check-config [flags]',
    description: 'Check the configuration (flags, environment, --config.file, token files) and exit.',
  };
  const parsed = parseCommand(command, argv, process.env);
  if (!parsed) return;
  buildConfig(parsed.values, createLogger({ name: 'timescale-adapter', level: 'silent' }));
  const file = parsed.values['config.file'];
  process.stdout.write(`timescale-adapter: configuration OK${file ? ` (${file})` : ''}\n`);
}

async function serve(argv: string[]): Promise<void> {
  const parsed = parseCommand(ADAPTER_COMMAND, argv, process.env);
  if (!parsed) return;
  const v = parsed.values;
  const log = createLogger({ name: 'timescale-adapter', level: v['log.level'] });
  const config = buildConfig(v, log);
  log.info({ flags: redactedValues(ADAPTER_FLAGS, v) }, 'starting timescale-adapter');
  const adapter = await startAdapter(config);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing requests in flight');
    adapter.close().then(
      () => process.exit(0),
      (err: Error) => {
        log.error({ err: err.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // Token rotation without a restart: edit the token files, then `kill -HUP`.
  process.on('SIGHUP', () => {
    try {
      const reloaded = loadAllTokens(v, log);
      Object.assign(config.tokens, reloaded);
      log.info({ write: reloaded.write.size, read: reloaded.read.size }, 'tokens reloaded');
    } catch (err) {
      log.error({ err: (err as Error).message }, 'tokens not reloaded; the previous ones stay in force');
    }
  });
}

function loadAllTokens(v: AdapterFlagValues, log: AdapterConfig['log']): AdapterConfig['tokens'] {
  const warn = (message: string) => log.warn(message);
  return {
    write: loadTokens(v['auth.write-token'] ?? [], v['auth.write-token-file'] ?? [], 'write', warn),
    read: loadTokens(v['auth.read-token'] ?? [], v['auth.read-token-file'] ?? [], 'read', warn),
  };
}

function buildConfig(v: AdapterFlagValues, log: AdapterConfig['log']): AdapterConfig {
  const number = (name: FlagNamesOfType<typeof ADAPTER_FLAGS, 'number'>, min = 1) => {
    const n = v[name];
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number of at least ${min}`);
    return n;
  };
  const tokens = loadAllTokens(v, log);
  const authDisabled = v['auth.disabled'];
  if (!authDisabled && !tokens.write.size && !tokens.read.size) {
    throw new UsageError(
      'no tokens configured: give --auth.write-token-file and --auth.read-token-file (one token per line), ' +
        'or --auth.disabled on a trusted network',
    );
  }
  if (authDisabled) log.warn('authentication is disabled: anyone who reaches this port can write and read');
  else {
    if (!tokens.write.size) log.warn('no write token configured: remote_write is refused');
    if (!tokens.read.size) log.warn('no read token configured: remote_read and queries are refused');
  }
  const retentionMs = v['storage.retention'];
  const chunkIntervalMs = v['storage.chunk-interval'];
  if (chunkIntervalMs < 60_000) throw new UsageError('--storage.chunk-interval must be at least 1m');
  if (retentionMs < chunkIntervalMs) throw new UsageError('--storage.retention must be at least one chunk interval');
  return {
    version: buildVersion(join(__dirname, '..', '..', 'package.json')),
    listen: parseListenAddress(v['web.listen-address']),
    tls: readTls(v),
    dbUrl: v['db.url'] || undefined,
    sqlReaderUrl: v['db.sql-reader-url'] || undefined,
    dataDir: v['data-dir'],
    writers: number('db.writers'),
    readers: number('db.readers'),
    tokens,
    authDisabled,
    retentionMs,
    chunkIntervalMs,
    maxBodyBytes: v['write.max-body-size'],
    maxDecompressedBytes: v['write.max-decompressed-size'],
    maxSeries: number('write.max-series'),
    maxLabels: number('write.max-labels'),
    maxLabelValueLength: number('write.max-label-value-length'),
    maxFutureMs: v['write.max-future'],
    seriesCacheSize: number('cache.series', 1000),
    queryTimeoutMs: v['query.timeout'],
    maxSamples: number('query.max-samples'),
    maxRows: number('query.max-rows'),
    lookbackDeltaMs: v['query.lookback-delta'],
    maxConcurrency: number('query.max-concurrency'),
    log,
  };
}

/** --web.tls-cert and --web.tls-key, both or neither (as nester takes them). */
function readTls(v: AdapterFlagValues): AdapterConfig['tls'] {
  const certFile = v['web.tls-cert'];
  const keyFile = v['web.tls-key'];
  if (!!certFile !== !!keyFile) throw new UsageError('--web.tls-cert and --web.tls-key go together');
  if (!certFile || !keyFile) return undefined;
  const read = (path: string, flag: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new UsageError(
        `${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  };
  return { cert: read(certFile, '--web.tls-cert'), key: read(keyFile, '--web.tls-key') };
}
