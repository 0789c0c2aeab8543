// `/ws/agent/session/:id`: the agent's per-session socket. It must carry the harvester's own
// credential and the one-session token nester sent in open-session, and the session must be
// waiting for exactly this harvester.

import type { Logger } from '@nester/common/log/logger';
import { SESSION_TOKEN_HEADER } from '@nester/contracts/remote/protocol';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Pool } from 'pg';
import { bearerToken, secretMatches } from '../auth/secrets';
import { rejectUpgrade } from '../http/upgrade';
import { verifyAgentCredential } from '../store/harvesters';
import { acceptWebSocket } from '../http/websocket-handshake';
import { AgentLink } from './agent-link';
import type { SessionBroker } from './broker';

export function agentSessionEndpoint(deps: { broker: SessionBroker; pool: Pool; log: Logger; maxFrameBytes: number }) {
  const { broker, pool, log, maxFrameBytes } = deps;
  return async (req: IncomingMessage, socket: Duplex, head: Buffer, sessionId: string): Promise<void> => {
    if (req.headers.origin) return rejectUpgrade(socket, 403, 'agent endpoints do not accept browsers');
    const check = await verifyAgentCredential(pool, bearerToken(req.headers.authorization));
    if (!check.ok) return rejectUpgrade(socket, 401, check.reason);
    const session = broker.get(sessionId);
    if (!session || session.plan.harvesterId !== check.harvesterId || session.state !== 'waiting-agent') {
      return rejectUpgrade(socket, 404, 'no such session waiting for this harvester');
    }
    const token = req.headers[SESSION_TOKEN_HEADER];
    if (typeof token !== 'string' || !secretMatches(token, session.agentTokenHash)) {
      log.warn({ session: sessionId, harvester: check.harvesterId }, 'agent presented a wrong session token');
      return rejectUpgrade(socket, 401, 'wrong session token');
    }
    if (!acceptWebSocket(req, socket)) return rejectUpgrade(socket, 400, 'not a WebSocket (version 13) handshake');
    if (head.length) socket.unshift(head);
    session.attachAgent(new AgentLink(socket, maxFrameBytes));
  };
}
