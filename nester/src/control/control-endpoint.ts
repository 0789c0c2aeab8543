// `/ws/agent`: an agent's control channel. Authenticated before the upgrade with the agent's
// own credential; refusals (never enrolled, revoked) are audited (repeats aggregated) and
// answered 401.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Pool } from 'pg';
import type { WebSocketServer } from 'ws';
import type { RefusalAudit } from '../audit/refusal-audit';
import { bearerToken } from '../auth/secrets';
import { remoteAddress } from '../http/respond';
import { rejectUpgrade } from '../http/upgrade';
import { verifyAgentCredential } from '../store/harvesters';
import type { AgentHub } from './agent-hub';

export function controlEndpoint(deps: { wss: WebSocketServer; hub: AgentHub; pool: Pool; refusals: RefusalAudit }) {
  const { wss, hub, pool, refusals } = deps;
  return async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    if (req.headers.origin) return rejectUpgrade(socket, 403, 'agent endpoints do not accept browsers');
    const check = await verifyAgentCredential(pool, bearerToken(req.headers.authorization));
    if (!check.ok) {
      refusals.agent({ remoteAddress: remoteAddress(req), harvesterId: check.harvesterId, reason: check.reason });
      return rejectUpgrade(socket, 401, `${check.reason}; enrol again with: harvester enroll --nester-url … --token …`);
    }
    wss.handleUpgrade(req, socket, head, (ws) => hub.register(check.harvesterId, ws, check.operatorLabels));
  };
}
