// `/ws/agent`: an agent's control channel. Authenticated before the upgrade with the agent's
// own credential; refusals (never enrolled, revoked) are audited and answered 401.

import type { Logger } from '@nester/common/log/logger';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Pool } from 'pg';
import type { WebSocketServer } from 'ws';
import { bearerToken } from '../auth/secrets';
import { remoteAddress } from '../http/respond';
import { rejectUpgrade } from '../http/upgrade';
import { recordEvent } from '../store/audit-events';
import { verifyAgentCredential } from '../store/harvesters';
import type { AgentHub } from './agent-hub';

export function controlEndpoint(deps: { wss: WebSocketServer; hub: AgentHub; pool: Pool; log: Logger }) {
  const { wss, hub, pool, log } = deps;
  return async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    if (req.headers.origin) return rejectUpgrade(socket, 403, 'agent endpoints do not accept browsers');
    const check = await verifyAgentCredential(pool, bearerToken(req.headers.authorization));
    if (!check.ok) {
      const address = remoteAddress(req);
      log.warn({ harvester: check.harvesterId, remoteAddress: address, reason: check.reason }, 'agent refused');
      recordEvent(pool, {
        event: 'agent-refused',
        harvesterId: check.harvesterId,
        remoteAddress: address,
        detail: check.reason,
      }).catch((err: Error) => log.error({ err: err.message }, 'could not audit a refused agent'));
      return rejectUpgrade(socket, 401, `${check.reason}; enrol again with: harvester enroll --nester-url … --token …`);
    }
    wss.handleUpgrade(req, socket, head, (ws) => hub.register(check.harvesterId, ws));
  };
}
