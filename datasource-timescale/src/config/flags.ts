// The adapter's flags. Names follow Prometheus' conventions (dotted groups), each also
// settable from an environment variable or the YAML file given by --config.file.

import { configFileFlag } from '@nester/common/config/file';
import { defineFlags, type FlagValuesOf } from '@nester/common/config/flags';
import type { Command } from '@nester/common/cli/command';

export const ADAPTER_FLAGS = defineFlags({
  ...configFileFlag('ADAPTER_CONFIG'),
  'web.listen-address': {
    type: 'string',
    help: 'Address to listen on for remote_write, remote_read and the query API.',
    default: ':9201',
    env: 'ADAPTER_LISTEN_ADDRESS',
  },
  'web.tls-cert': {
    type: 'string',
    help: 'PEM certificate (chain) file; with --web.tls-key the adapter serves HTTPS only.',
    env: 'ADAPTER_TLS_CERT',
  },
  'web.tls-key': { type: 'string', help: 'PEM private key file for --web.tls-cert.', env: 'ADAPTER_TLS_KEY' },
  'db.url': {
    type: 'string',
    help: 'PostgreSQL URL (postgres://user:pass@host/db). Without it an embedded PostgreSQL runs under --data-dir.',
    env: 'DATABASE_URL',
    secret: true,
  },
  'db.sql-reader-url': {
    type: 'string',
    help:
      'PostgreSQL URL of the role raw SQL queries log in as: SELECT on label, series, samples, series_labels only ' +
      '(README). Without it the role is created when the --db.url user may create roles; else raw SQL is disabled.',
    env: 'ADAPTER_SQL_READER_URL',
    secret: true,
  },
  'data-dir': {
    type: 'string',
    help: 'Directory for the embedded PostgreSQL (used when no --db.url is given).',
    default: 'data/timescale-adapter',
    env: 'ADAPTER_DATA_DIR',
  },
  'db.writers': {
    type: 'number',
    help: 'Ingest transactions at once; requests arriving meanwhile share the next commit.',
    default: 2,
  },
  'db.readers': { type: 'number', help: 'Database connections used for queries.', default: 4 },
  'auth.write-token': {
    type: 'list',
    help: 'Bearer token accepted for remote_write. Repeatable; prefer --auth.write-token-file (process lists show flags).',
    env: 'ADAPTER_WRITE_TOKEN',
    secret: true,
  },
  'auth.write-token-file': {
    type: 'list',
    help: 'File holding remote_write bearer tokens, one per line. Repeatable.',
    env: 'ADAPTER_WRITE_TOKEN_FILE',
  },
  'auth.read-token': {
    type: 'list',
    help: 'Bearer token accepted for remote_read and the query API. Repeatable; prefer --auth.read-token-file.',
    env: 'ADAPTER_READ_TOKEN',
    secret: true,
  },
  'auth.read-token-file': {
    type: 'list',
    help: 'File holding read bearer tokens, one per line. Repeatable.',
    env: 'ADAPTER_READ_TOKEN_FILE',
  },
  'auth.disabled': {
    type: 'boolean',
    help: 'Accept requests without a token. Only for a trusted network or loopback.',
    default: false,
  },
  'storage.retention': { type: 'duration', help: 'How long samples are kept.', default: '90d' },
  'storage.chunk-interval': {
    type: 'duration',
    help: 'Time span of one partition (TimescaleDB chunk) of the samples table.',
    default: '8h',
  },
  'write.max-body-size': {
    type: 'bytes',
    help: 'Largest compressed remote_write or remote_read body accepted (413 above).',
    default: '32MiB',
  },
  'write.max-decompressed-size': {
    type: 'bytes',
    help: 'Largest decompressed body accepted (413 above); 50,000 series take about 7 MiB.',
    default: '32MiB',
  },
  'write.max-series': { type: 'number', help: 'Most time series in one remote_write request.', default: 50000 },
  'write.max-labels': { type: 'number', help: 'Most labels on one series.', default: 128 },
  'write.max-label-value-length': {
    type: 'number',
    help: 'Longest label value in bytes (label names may be up to 1024).',
    default: 4096,
  },
  'write.max-future': {
    type: 'duration',
    help: 'Samples further ahead of this clock are refused (400).',
    default: '1h',
  },
  'cache.series': {
    type: 'number',
    help: 'Series ids kept in memory (up to twice as many while cache generations turn over).',
    default: 1_000_000,
  },
  'query.timeout': { type: 'duration', help: 'Statement timeout of queries and raw SQL.', default: '30s' },
  'query.max-samples': {
    type: 'number',
    help: 'Most raw samples one query may read (about 40 bytes of memory each while it runs).',
    default: 20_000_000,
  },
  'query.lookback-delta': {
    type: 'duration',
    help: 'PromQL: how far back an instant selector looks for the newest sample.',
    default: '5m',
  },
  'query.max-concurrency': {
    type: 'number',
    help: 'PromQL queries evaluated at once (others wait); keep it at most --db.readers so ingest keeps its connections.',
    default: 4,
  },
  'query.max-rows': { type: 'number', help: 'Most rows a raw SQL query returns.', default: 100_000 },
  'log.level': { type: 'string', help: 'Only log messages with the given severity or above.', default: 'info' },
});

export type AdapterFlagValues = FlagValuesOf<typeof ADAPTER_FLAGS>;

export const ADAPTER_COMMAND: Command<typeof ADAPTER_FLAGS> = {
  usage: 'timescale-adapter [<flags>]',
  description: 'Prometheus remote_write receiver and remote_read / query server on TimescaleDB or plain PostgreSQL.',
  flags: ADAPTER_FLAGS,
};
