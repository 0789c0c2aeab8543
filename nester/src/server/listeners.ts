// The HTTP server's listeners. Whatever a client sends, nothing may throw out of them: an
// exception escaping a listener would end the process and every session and agent with it.
// Each one parses the request target with request-target.ts (never `new URL`), answers bad
// input with a 4xx, and turns anything unexpected into a logged 500/503.

import type { Logger } from '@nester/common/log/logger';
import { AGENT_CONTROL_PATH, AGENT_SESSION_PATH, BROWSER_SESSION_PATH } from '@nester/contracts/remote/protocol';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpError } from '@nester/common/http/http-error';
import { parseRequestTarget } from '../http/request-target';
import { sendError } from '../http/respond';
import type { Router } from '../http/router';
import { rejectUpgrade } from '../http/upgrade';
import { storableText } from '../text/storable-text';

type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void> | void;

export interface UpgradeEndpoints {
  browser: UpgradeHandler;
  control: UpgradeHandler;
  agentSession: (req: IncomingMessage, socket: Duplex, head: Buffer, sessionId: string) => Promise<void>;
}

/** What a log line may say about a target an attacker chose. */
const shown = (target: string | undefined) => storableText(target ?? '', 200, { stripControls: true });

export function requestListener(router: Router, log: Logger) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    Promise.resolve()
      .then(() => {
        res.setHeader('x-content-type-options', 'nosniff');
        const target = parseRequestTarget(req.url);
        const { handler, params } = router.match(req.method ?? 'GET', target);
        return handler({ req, res, params, query: target.query });
      })
      .catch((err: unknown) => {
        if (err instanceof HttpError) return sendError(res, err.status, err.message);
        log.error({ err: (err as Error)?.message, target: shown(req.url), method: req.method }, 'request failed');
        sendError(res, 500, 'internal error; see the nester log');
      })
      .catch(() => res.destroy());
  };
}

export function upgradeListener(endpoints: UpgradeEndpoints, log: Logger) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => {});
    Promise.resolve()
      .then(() => {
        const target = parseRequestTarget(req.url);
        // Segments never contain '/' (encoded ones are refused), so joining them is unambiguous.
        const path = `/${target.segments.join('/')}`;
        if (path === BROWSER_SESSION_PATH) return endpoints.browser(req, socket, head);
        if (path === AGENT_CONTROL_PATH) return endpoints.control(req, socket, head);
        if (path.startsWith(AGENT_SESSION_PATH) && target.segments.length === 4)
          return endpoints.agentSession(req, socket, head, target.segments[3]);
        throw new HttpError(404, `no WebSocket endpoint at ${target.path}`);
      })
      .catch((err: unknown) => {
        if (err instanceof HttpError) return rejectUpgrade(socket, err.status, err.message);
        log.error({ err: (err as Error)?.message, target: shown(req.url) }, 'WebSocket upgrade failed');
        rejectUpgrade(socket, 503, 'nester cannot check credentials right now; retry');
      })
      .catch(() => socket.destroy());
  };
}

/** Requests Node's HTTP parser refuses: answered like Node's default, with a JSON body. */
export function clientErrorListener(err: Error & { code?: string }, socket: Duplex): void {
  try {
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    if (err.code === 'HPE_HEADER_OVERFLOW') rejectUpgrade(socket, 431, 'request headers are too large');
    else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') rejectUpgrade(socket, 408, 'request not received in time');
    else rejectUpgrade(socket, 400, 'malformed HTTP request');
  } catch {
    socket.destroy();
  }
}
