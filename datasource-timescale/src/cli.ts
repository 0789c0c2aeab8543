#!/usr/bin/env node
// timescale-adapter: Prometheus remote_write/remote_read and the Grafana query API on
// TimescaleDB or plain PostgreSQL.

import { findConfigFileArg, loadConfigFile } from '@nester/common/config/file';
import { formatHelp, parseArgs, redactedValues, UsageError, type FlagValues } from '@nester/common/config/flags';
import { runMain } from '@nester/common/cli/run';
import { createLogger } from '@nester/common/log/logger';
import { startAdapter, type AdapterConfig } from './app';
import { ADAPTER_FLAGS, DESCRIPTION, USAGE } from './config/flags';
import { parseListenAddress } from '@nester/common/config/listen';
import { loadTokens } from './config/tokens';
import { readFileSync } from 'node:fs';

runMain('timescale-adapter', async () => {
  const argv = process.argv.slice(2);
  const configFile = findConfigFileArg(argv, process.env, 'ADAPTER_CONFIG');
  const parsed = parseArgs(ADAPTER_FLAGS, argv, {
    env: process.env,
    file: configFile ? loadConfigFile(configFile) : undefined,
  });
  if (parsed.help) {
    process.stdout.write(formatHelp(USAGE, DESCRIPTION, ADAPTER_FLAGS));
    return;
  }
  if (parsed.positionals.length) throw new UsageError(`unexpected argument ${parsed.positionals[0]}`);
  const v = parsed.values;
  const log = createLogger({ name: 'timescale-adapter', level: String(v['log.level']) });
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
});

function loadAllTokens(v: FlagValues, log: AdapterConfig['log']): AdapterConfig['tokens'] {
  const list = (name: string) => (v[name] as string[] | undefined) ?? [];
  const warn = (message: string) => log.warn(message);
  return {
    write: loadTokens(list('auth.write-token'), list('auth.write-token-file'), 'write', warn),
    read: loadTokens(list('auth.read-token'), list('auth.read-token-file'), 'read', warn),
  };
}

function buildConfig(v: FlagValues, log: AdapterConfig['log']): AdapterConfig {
  const number = (name: string, min = 1) => {
    const n = v[name] as number;
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number of at least ${min}`);
    return n;
  };
  const tokens = loadAllTokens(v, log);
  const authDisabled = v['auth.disabled'] === true;
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
  const retentionMs = v['storage.retention'] as number;
  const chunkIntervalMs = v['storage.chunk-interval'] as number;
  if (chunkIntervalMs < 60_000) throw new UsageError('--storage.chunk-interval must be at least 1m');
  if (retentionMs < chunkIntervalMs) throw new UsageError('--storage.retention must be at least one chunk interval');
  return {
    listen: parseListenAddress(String(v['web.listen-address'])),
    tls: readTls(v),
    dbUrl: (v['db.url'] as string | undefined) || undefined,
    sqlReaderUrl: (v['db.sql-reader-url'] as string | undefined) || undefined,
    dataDir: String(v['data-dir']),
    writers: number('db.writers'),
    readers: number('db.readers'),
    tokens,
    authDisabled,
    retentionMs,
    chunkIntervalMs,
    maxBodyBytes: v['write.max-body-size'] as number,
    maxDecompressedBytes: v['write.max-decompressed-size'] as number,
    maxSeries: number('write.max-series'),
    maxLabels: number('write.max-labels'),
    maxLabelValueLength: number('write.max-label-value-length'),
    maxFutureMs: v['write.max-future'] as number,
    seriesCacheSize: number('cache.series', 1000),
    queryTimeoutMs: v['query.timeout'] as number,
    maxSamples: number('query.max-samples'),
    maxRows: number('query.max-rows'),
    log,
  };
}

/** --web.tls-cert and --web.tls-key, both or neither (as nester takes them). */
function readTls(v: FlagValues): AdapterConfig['tls'] {
  const certFile = v['web.tls-cert'] as string | undefined;
  const keyFile = v['web.tls-key'] as string | undefined;
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
