// nester, assembled: database schema, agent hub, session broker, HTTP API and the three
// WebSocket endpoints on one HTTP(S) server. `startNester` is what `nester serve` and the tests
// run; `close()` ends every session (audited) and waits for the writes.

import type { Logger } from '@nester/common/log/logger';
import { migrate } from '@nester/common/db/migrate';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { IdTokenExpectations } from '../auth/grafana-jwt';
import { JwksCache } from '../auth/jwks';
import { RefusalAudit } from '../audit/refusal-audit';
import { FailureThrottle } from '../auth/throttle';
import { AgentHub } from '../control/agent-hub';
import { controlEndpoint } from '../control/control-endpoint';
import { MIGRATIONS } from '../db/migrations';
import { OriginPolicy } from '../http/origin';
import { rejectUpgrade } from '../http/upgrade';
import { agentSessionEndpoint } from '../relay/agent-session-endpoint';
import { browserSessionEndpoint } from '../relay/browser-endpoint';
import { type RelayConfig, SessionBroker } from '../relay/broker';
import { markAllOffline, PresenceWriter } from '../store/presence';
import { closeOrphanedSessions } from '../store/sessions';
import { clientErrorListener, requestListener, upgradeListener } from './listeners';
import { buildRouter } from './routes';
import { ReleaseShelf } from '../releases/shelf';
import { selfSignedPins } from '../releases/trust';

export interface NesterConfig {
  host?: string;
  port: number;
  tls?: { cert: Buffer; key: Buffer };
  /** Base URL browsers reach nester at; derived from the listen address when absent. */
  publicUrl?: string;
  allowedOrigins: string[];
  grafana?: { jwksUrl: string } & IdTokenExpectations;
  relay: RelayConfig & { helloTimeoutMs: number; maxFrameBytes: number };
  heartbeatIntervalMs: number;
  presenceFlushMs?: number;
  /** Folder of install.sh and the harvester archives to serve (GET /install.sh, /releases/<file>). */
  releasesDir?: string;
  /** Repeats of a refusal from one address within this window are audited as one row (default 1 min). */
  refusalWindowMs?: number;
  pool: Pool;
  log: Logger;
}

export interface RunningNester {
  server: Server;
  port: number;
  url: string;
  hub: AgentHub;
  broker: SessionBroker;
  close(): Promise<void>;
}

export async function startNester(config: NesterConfig): Promise<RunningNester> {
  const { pool, log } = config;
  await migrate(pool, 'nester', MIGRATIONS, log);
  const orphaned = await closeOrphanedSessions(pool);
  if (orphaned) log.warn({ sessions: orphaned }, 'closed sessions a previous run left open');
  await markAllOffline(pool);

  const presence = new PresenceWriter(pool, log, config.presenceFlushMs);
  const refusals = new RefusalAudit(pool, log, { windowMs: config.refusalWindowMs ?? 60_000 });
  const hub = new AgentHub({
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    presence,
    log,
    onSessionRefused: (harvesterId, sessionId, reason) => broker.refusedByAgent(harvesterId, sessionId, reason),
  });
  const broker: SessionBroker = new SessionBroker(pool, config.relay, log, (harvesterId, sessionId, reason) =>
    hub.closeSession(harvesterId, sessionId, reason),
  );
  const jwks = config.grafana ? new JwksCache({ url: config.grafana.jwksUrl, log }) : undefined;

  const server = config.tls
    ? createHttpsServer({ cert: config.tls.cert, key: config.tls.key, minVersion: 'TLSv1.2' })
    : createHttpServer();
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  const provisionalUrl = () =>
    `${config.tls ? 'https' : 'http'}://${config.host && config.host !== '0.0.0.0' ? config.host : 'localhost'}:${(server.address() as AddressInfo).port}`;
  const api = {
    pool,
    hub,
    broker,
    identity: { jwks, expectations: config.grafana },
    enrollThrottle: new FailureThrottle(10, 60_000),
    get publicUrl() {
      return config.publicUrl ?? provisionalUrl();
    },
    releases: config.releasesDir
      ? new ReleaseShelf({
          dir: config.releasesDir,
          publicUrl: config.publicUrl,
          tls: !!config.tls,
          selfSigned: config.tls ? selfSignedPins(config.tls.cert) : null,
        })
      : undefined,
    log,
  };
  server.on('request', requestListener(buildRouter(api), log));
  server.on('clientError', clientErrorListener);
  // Without a listener Node drops CONNECT requests without an answer.
  server.on('connect', (_req, socket: Duplex) =>
    rejectUpgrade(socket, 405, 'CONNECT is not supported; nester is no proxy'),
  );

  const wsOptions = { noServer: true, clientTracking: false, perMessageDeflate: false } as const;
  const sessionWss = new WebSocketServer({
    ...wsOptions,
    maxPayload: config.relay.maxFrameBytes,
    handleProtocols: (offered: Set<string>) => (offered.has('binary') ? 'binary' : false),
  });
  const controlWss = new WebSocketServer({ ...wsOptions, maxPayload: 256 * 1024 });
  const origins = new OriginPolicy(config.allowedOrigins);
  const browser = browserSessionEndpoint({
    wss: sessionWss,
    origins,
    broker,
    hub,
    refusals,
    log,
    helloTimeoutMs: config.relay.helloTimeoutMs,
  });
  const control = controlEndpoint({ wss: controlWss, hub, pool, refusals });
  const agentSession = agentSessionEndpoint({ broker, pool, log, maxFrameBytes: config.relay.maxFrameBytes });
  server.on('upgrade', upgradeListener({ browser, control, agentSession }, log));

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`cannot listen on ${config.host ?? '*'}:${config.port}: ${err.code ?? err.message}`)),
    );
    server.listen(config.port, config.host, () => resolve());
  });
  // From now on a server error (e.g. EMFILE on accept) is logged, not thrown.
  server.on('error', (err) => log.error({ err: err.message }, 'HTTP server error'));
  const port = (server.address() as AddressInfo).port;
  log.info(
    {
      port,
      publicUrl: api.publicUrl,
      tls: !!config.tls,
      allowedOrigins: origins.list,
      grafanaIdentity: jwks ? 'X-Grafana-Id' : 'X-Grafana-User',
    },
    'nester is listening',
  );

  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    url: provisionalUrl(),
    hub,
    broker,
    close: () =>
      (closing ??= (async () => {
        server.close();
        await broker.close();
        hub.close();
        await refusals.close();
        await presence.close();
        server.closeAllConnections?.();
      })()),
  };
}
