// nester's flags. Every flag can also come from the environment or the YAML --config.file.

import { configFileFlag } from '@nester/common/config/file';
import { defineFlags, type FlagValuesOf } from '@nester/common/config/flags';

/** What every command takes: the config file, the database, the log level. */
export const DATABASE_FLAGS = defineFlags({
  ...configFileFlag('NESTER_CONFIG'),
  'db.url': {
    type: 'string',
    help: 'PostgreSQL URL (postgres://user:pass@host/db). Without it, an embedded PostgreSQL runs under --data-dir.',
    env: 'DATABASE_URL',
    secret: true,
  },
  'data-dir': {
    type: 'string',
    help: 'Directory for the embedded PostgreSQL and recordings.',
    default: 'nester-data',
    env: 'NESTER_DATA_DIR',
  },
  'log.level': {
    type: 'string',
    help: 'Only log messages with the given severity or above.',
    default: 'info',
    env: 'NESTER_LOG_LEVEL',
  },
});

export const SERVE_FLAGS = defineFlags({
  ...DATABASE_FLAGS,
  'web.listen-address': {
    type: 'string',
    help: 'Address to listen on for the API, browsers and agents.',
    default: ':8080',
    env: 'NESTER_LISTEN_ADDRESS',
  },
  'web.tls-cert': {
    type: 'string',
    help: 'PEM certificate (chain) file; with --web.tls-key, nester serves HTTPS/WSS only.',
    env: 'NESTER_TLS_CERT',
  },
  'web.tls-key': { type: 'string', help: 'PEM private key file for --web.tls-cert.', env: 'NESTER_TLS_KEY' },
  'public-url': {
    type: 'string',
    help: 'URL browsers and agents reach nester at (behind a proxy: the proxy URL); session WebSocket URLs derive from it.',
    env: 'NESTER_PUBLIC_URL',
  },
  'releases.dir': {
    type: 'string',
    help: 'Folder of install.sh and the harvester archives (npm run release writes one) to serve at /install.sh and /releases/, no token needed.',
    env: 'NESTER_RELEASES_DIR',
  },
  'web.allowed-origins': {
    type: 'list',
    help: "Origins (scheme://host[:port]) whose pages may open session WebSockets: your Grafana's. Repeatable or comma-separated.",
    env: 'NESTER_ALLOWED_ORIGINS',
  },
  'grafana.url': {
    type: 'string',
    help: "Grafana's root URL, the issuer of X-Grafana-Id tokens.",
    env: 'NESTER_GRAFANA_URL',
  },
  'grafana.jwks-url': {
    type: 'string',
    help: 'JWKS of Grafana (<grafana>/api/signing-keys/keys). When set, users come from verified X-Grafana-Id tokens, else from X-Grafana-User.',
    env: 'NESTER_GRAFANA_JWKS_URL',
  },
  'grafana.audience': {
    type: 'list',
    help: 'Accepted X-Grafana-Id audiences (Grafana uses org:<id>).',
    default: ['org:1'],
  },
  'recordings.enabled': {
    type: 'boolean',
    help: 'Record terminal sessions (asciicast v2) and desktop sessions (the VNC server stream, replayable).',
    default: true,
  },
  'recordings.max-desktop-size': {
    type: 'bytes',
    help: 'A desktop recording stops at this size; the session goes on (see docs/benchmarks.md for the cost per hour).',
    default: '1GiB',
  },
  'recordings.dir': { type: 'string', help: 'Where recordings go (default: <data-dir>/recordings).' },
  'relay.ticket-ttl': { type: 'duration', help: 'How long a session ticket stays valid.', default: '30s' },
  'relay.idle-timeout': {
    type: 'duration',
    help: 'End sessions with no traffic either way for this long.',
    default: '15m',
  },
  'relay.max-lifetime': { type: 'duration', help: 'End sessions after this long, busy or not.', default: '8h' },
  'relay.max-frame-size': {
    type: 'bytes',
    help: 'Largest WebSocket message accepted on session sockets.',
    default: '1MiB',
  },
  'relay.buffer-size': {
    type: 'bytes',
    help: 'Per-direction send buffer of a session; past it the sender is paused.',
    default: '1MiB',
  },
  'relay.max-sessions-per-harvester': {
    type: 'number',
    help: 'Concurrent sessions one harvester may have.',
    default: 4,
  },
  'relay.max-sessions-per-user': {
    type: 'number',
    help: 'Concurrent sessions one Grafana user may have.',
    default: 8,
  },
  'relay.agent-timeout': {
    type: 'duration',
    help: 'How long to wait for the agent to dial a session in.',
    default: '15s',
  },
  'relay.resume-window': {
    type: 'duration',
    help: 'How long a terminal keeps running after its browser tab closed or its network dropped, for its user to resume it (0: end at once).',
    default: '5m',
  },
  'relay.resume-scrollback': {
    type: 'bytes',
    help: 'Recent terminal output kept per session and replayed on resume.',
    default: '256KiB',
  },
  'audit.refusal-window': {
    type: 'duration',
    help: 'Refused session and agent attempts: the first of a kind from an address is audited at once, its repeats within this window as one row with a count.',
    default: '1m',
  },
  'agent.heartbeat-interval': {
    type: 'duration',
    help: 'Heartbeat interval asked of agents; three missed ones mark an agent offline.',
    default: '30s',
  },
});

/** `--output` of the token commands, checked by commands/parse.ts. */
export const OUTPUT_FLAG = defineFlags({
  output: { type: 'string', help: 'Output format: text or json.', default: 'text' },
});

export const TOKEN_CREATE_FLAGS = defineFlags({
  ...DATABASE_FLAGS,
  description: { type: 'string', help: 'What the token is for (shown in lists).', default: '' },
  ttl: { type: 'duration', help: 'How long the token can be used (0 = no expiry).', default: '24h' },
  'max-uses': { type: 'number', help: 'How many agents may enrol with it (0 = unlimited).', default: 0 },
  ...OUTPUT_FLAG,
});

export const API_TOKEN_CREATE_FLAGS = defineFlags({
  ...DATABASE_FLAGS,
  description: { type: 'string', help: 'What the token is for, e.g. "grafana prod".', default: '' },
  ...OUTPUT_FLAG,
});

export const LIST_FLAGS = defineFlags({
  ...DATABASE_FLAGS,
  ...OUTPUT_FLAG,
});

export type DatabaseFlagValues = FlagValuesOf<typeof DATABASE_FLAGS>;
export type ServeFlagValues = FlagValuesOf<typeof SERVE_FLAGS>;
