// `nester serve`: the API, the agent control channels and the relay.

import { parseListenAddress } from '@nester/common/config/listen';
import { redactedValues, type FlagValues, UsageError } from '@nester/common/config/flags';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SERVE_FLAGS } from '../config/flags';
import { connectDatabase } from '../db/connect';
import { normalizeOrigin } from '../http/origin';
import { startNester } from '../server/app';
import { parseCommand } from './parse';

const USAGE = 'nester serve [flags]';
const DESCRIPTION =
  'Run nester: fleet inventory, enrolment, one-time session tickets and the VNC/terminal relay between Grafana users and harvester agents.';

export async function serve(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const parsed = parseCommand(USAGE, DESCRIPTION, SERVE_FLAGS, argv, env);
  if (!parsed) return;
  const { values, log } = parsed;
  const settings = serveSettings(values);
  log.info({ flags: redactedValues(SERVE_FLAGS, values) }, 'starting nester');
  if (!settings.allowedOrigins.length)
    log.warn('no --web.allowed-origins: browsers cannot open sessions until you list your Grafana origin');

  const database = await connectDatabase(values['db.url'] as string | undefined, values['data-dir'] as string, log);
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

export function serveSettings(values: FlagValues) {
  const listen = parseListenAddress(String(values['web.listen-address']));
  const certFile = values['web.tls-cert'] as string | undefined;
  const keyFile = values['web.tls-key'] as string | undefined;
  if (!!certFile !== !!keyFile) throw new UsageError('--web.tls-cert and --web.tls-key go together');
  const tls =
    certFile && keyFile
      ? { cert: readPem(certFile, '--web.tls-cert'), key: readPem(keyFile, '--web.tls-key') }
      : undefined;

  const allowedOrigins = ((values['web.allowed-origins'] as string[] | undefined) ?? [])
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
  const publicUrl = values['public-url'] as string | undefined;
  if (publicUrl && !/^https?:\/\/[^/]/.test(publicUrl))
    throw new UsageError('--public-url must be an http(s) URL, e.g. https://nester.example.com');

  const jwksUrl = values['grafana.jwks-url'] as string | undefined;
  const grafanaUrl = values['grafana.url'] as string | undefined;
  if (jwksUrl && !grafanaUrl) throw new UsageError('--grafana.jwks-url needs --grafana.url (the issuer of the tokens)');
  const grafana = jwksUrl
    ? { jwksUrl, issuer: grafanaUrl!, audiences: values['grafana.audience'] as string[], leewaySeconds: 60 }
    : undefined;

  const positive = (name: string) => {
    const n = values[name] as number;
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
    return n;
  };
  const positiveDuration = (name: string) => {
    const ms = values[name] as number;
    if (!(ms > 0)) throw new UsageError(`--${name} must be a positive duration, e.g. 1m`);
    return ms;
  };
  const bufferSize = values['relay.buffer-size'] as number;
  const recordingsDir = values['recordings.enabled']
    ? resolve((values['recordings.dir'] as string | undefined) ?? join(values['data-dir'] as string, 'recordings'))
    : null;
  return {
    host: listen.host,
    port: listen.port,
    tls,
    publicUrl,
    allowedOrigins,
    grafana,
    heartbeatIntervalMs: values['agent.heartbeat-interval'] as number,
    refusalWindowMs: positiveDuration('audit.refusal-window'),
    relay: {
      ticketTtlMs: values['relay.ticket-ttl'] as number,
      idleMs: values['relay.idle-timeout'] as number,
      maxLifetimeMs: values['relay.max-lifetime'] as number,
      agentTimeoutMs: values['relay.agent-timeout'] as number,
      helloTimeoutMs: 10_000,
      maxFrameBytes: values['relay.max-frame-size'] as number,
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
