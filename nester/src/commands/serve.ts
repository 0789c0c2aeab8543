// `nester serve`: the API, the agent control channels and the relay.

import { parseListenAddress } from '@nester/common/config/listen';
import { type FlagNamesOfType, redactedValues, UsageError } from '@nester/common/config/flags';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SERVE_FLAGS, type ServeFlagValues } from '../config/flags';
import { connectDatabase } from '../db/connect';
import { normalizeOrigin } from '../http/origin';
import { startNester } from '../server/app';
import { parseNesterCommand } from './parse';

const SERVE = {
  usage: 'nester serve [flags]',
  description:
    'Run nester: fleet inventory, enrolment, one-time session tickets and the VNC/terminal relay between Grafana users and harvester agents.',
  flags: SERVE_FLAGS,
};

export async function serve(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const parsed = parseNesterCommand(SERVE, argv, env);
  if (!parsed) return;
  const { values, log } = parsed;
  const settings = serveSettings(values);
  log.info({ flags: redactedValues(SERVE_FLAGS, values) }, 'starting nester');
  if (!settings.allowedOrigins.length)
    log.warn('no --web.allowed-origins: browsers cannot open sessions until you list your Grafana origin');

  const database = await connectDatabase(values['db.url'], values['data-dir'], log);
  log.info({ database: database.description }, 'database ready');
  let nester;
  try {
    nester = await startNester({ ...settings, pool: database.pool, log });
  } catch (err) {
    await database.close();
    throw err;
  }
  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down: closing sessions and control channels');
    nester
      .close()
      .then(() => database.close())
      .then(
        () => process.exit(0),
        (err: Error) => {
          log.error({ err: err.message }, 'unclean shutdown');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** `nester check-config [flags]`: what `nester serve` checks before it starts, and nothing more. */
export function checkConfig(argv: readonly string[], env: NodeJS.ProcessEnv, out = process.stdout): void {
  const command = {
    usage: 'nester check-config [flags]',
    description:
      'Check the configuration (flags, environment, --config.file) as `nester serve` would read it, and exit.',
    flags: SERVE_FLAGS,
  };
  const parsed = parseNesterCommand(command, argv, env);
  if (!parsed) return;
  serveSettings(parsed.values);
  const file = parsed.values['config.file'];
  out.write(`nester: configuration OK${file ? ` (${file})` : ''}\n`);
}

export function serveSettings(values: ServeFlagValues) {
  const listen = parseListenAddress(values['web.listen-address']);
  const certFile = values['web.tls-cert'];
  const keyFile = values['web.tls-key'];
  if (!!certFile !== !!keyFile) throw new UsageError('--web.tls-cert and --web.tls-key go together');
  const tls =
    certFile && keyFile
      ? { cert: readPem(certFile, '--web.tls-cert'), key: readPem(keyFile, '--web.tls-key') }
      : undefined;

  const allowedOrigins = (values['web.allowed-origins'] ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const origin of allowedOrigins) {
    try {
      normalizeOrigin(origin);
    } catch (err) {
      throw new UsageError(`--web.allowed-origins: ${(err as Error).message}`);
    }
  }
  const publicUrl = values['public-url'];
  if (publicUrl && !/^https?:\/\/[^/]/.test(publicUrl))
    throw new UsageError('--public-url must be an http(s) URL, e.g. https://nester.example.com');

  const releasesDir = values['releases.dir'] ? resolve(values['releases.dir']) : undefined;
  if (releasesDir) {
    try {
      readdirSync(releasesDir);
    } catch (err) {
      throw new UsageError(
        `--releases.dir: cannot read ${releasesDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  }

  const jwksUrl = values['grafana.jwks-url'];
  const grafanaUrl = values['grafana.url'];
  if (jwksUrl && !grafanaUrl) throw new UsageError('--grafana.jwks-url needs --grafana.url (the issuer of the tokens)');
  const grafana = jwksUrl
    ? { jwksUrl, issuer: grafanaUrl!, audiences: values['grafana.audience'], leewaySeconds: 60 }
    : undefined;

  const positive = (name: FlagNamesOfType<typeof SERVE_FLAGS, 'number'>) => {
    const n = values[name];
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
    return n;
  };
  const positiveDuration = (name: FlagNamesOfType<typeof SERVE_FLAGS, 'duration'>) => {
    const ms = values[name];
    if (!(ms > 0)) throw new UsageError(`--${name} must be a positive duration, e.g. 1m`);
    return ms;
  };
  const bufferSize = values['relay.buffer-size'];
  const recordingsDir = values['recordings.enabled']
    ? resolve(values['recordings.dir'] ?? join(values['data-dir'], 'recordings'))
    : null;
  return {
    host: listen.host,
    port: listen.port,
    tls,
    publicUrl,
    releasesDir,
    allowedOrigins,
    grafana,
    heartbeatIntervalMs: values['agent.heartbeat-interval'],
    refusalWindowMs: positiveDuration('audit.refusal-window'),
    relay: {
      ticketTtlMs: values['relay.ticket-ttl'],
      idleMs: values['relay.idle-timeout'],
      maxLifetimeMs: values['relay.max-lifetime'],
      agentTimeoutMs: values['relay.agent-timeout'],
      resumeWindowMs: values['relay.resume-window'],
      scrollbackBytes: values['relay.resume-scrollback'],
      desktopRecordingMaxBytes: values['recordings.max-desktop-size'],
      helloTimeoutMs: 10_000,
      maxFrameBytes: values['relay.max-frame-size'],
      marks: { high: bufferSize, low: Math.floor(bufferSize / 4) },
      maxSessionsPerHarvester: positive('relay.max-sessions-per-harvester'),
      maxSessionsPerUser: positive('relay.max-sessions-per-user'),
      recordingsDir,
    },
  };
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(
      `${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}
