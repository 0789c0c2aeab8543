// Routes, authentication and error mapping. Every route but the health checks needs a bearer
// token of its role: writers may only write, readers only read.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Logger } from '@nester/common/log/logger';
import { HttpError } from '@nester/common/http/http-error';
import { sendJson, sendText } from '@nester/common/http/respond';
import type { PrometheusError, PrometheusErrorType, PrometheusSuccess } from '@nester/contracts/prometheus/api';
import type { AdapterStatus } from '@nester/contracts/query/adapter-status';
import { bearerToken, type Role, type TokenSet } from '../config/tokens';
import { formBody } from './form-body';
import { handleDsQuery, type QueryApiOptions } from './query-api';
import { handlePrometheusApi, isPrometheusApiPath, type PrometheusApiOptions } from './prometheus-api';
import { handlePromQL, type PromqlApiOptions } from './promql-api';
import { handleRead, type ReadHandlerOptions } from './read-handler';
import { formatMetrics, type CacheFigures } from './metrics';
import { isTransientDbError } from './transient-db-error';
import type { Stats } from './stats';
import { handleWrite, type WriteHandlerOptions } from './write-handler';

export interface ServerOptions {
  log: Logger;
  tokens: Record<Role, TokenSet>;
  authDisabled: boolean;
  write: WriteHandlerOptions;
  read: ReadHandlerOptions;
  query: QueryApiOptions;
  prometheus: PrometheusApiOptions;
  promql: PromqlApiOptions;
  status: () => Promise<AdapterStatus>;
  stats: Stats;
  cache: () => CacheFigures;
  ready: () => boolean;
  /** PEM certificate (chain) and key: HTTPS only, as nester serves it. */
  tls?: { cert: Buffer; key: Buffer };
}

export function createAdapterServer(o: ServerOptions): Server {
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    route(req, res, o)
      .catch((err: unknown) => fail(res, err, o.log, req))
      .catch((err: unknown) => {
        // Answering failed too (a socket gone mid-write): drop the connection, keep serving.
        o.log.warn({ err: (err as Error).message, path: req.url }, 'could not answer a request');
        res.destroy();
      });
  };
  const server: Server = o.tls
    ? createHttpsServer({ cert: o.tls.cert, key: o.tls.key, minVersion: 'TLSv1.2' }, handle)
    : createServer(handle);
  // Requests Node's parser refuses (bad request lines, headers too large): a plain 400, and
  // nothing thrown from here whatever state the socket is in.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  server.requestTimeout = 5 * 60_000;
  // Senders keep connections open between batches; a short keep-alive races with their reuse
  // of an idle connection ("other side closed"). Prometheus' idle connections live 90 s.
  server.keepAliveTimeout = 95_000;
  server.headersTimeout = 100_000;
  return server;
}

async function route(req: IncomingMessage, res: ServerResponse, o: ServerOptions): Promise<void> {
  const url = requestUrl(req.url);
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (path === '/-/healthy') return sendText(res, 200, 'OK');
  if (path === '/-/ready') return o.ready() ? sendText(res, 200, 'Ready') : sendText(res, 503, 'Starting');

  if (path === '/api/v1/write') {
    allow(method, ['POST']);
    authorize(req, 'write', o);
    return handleWrite(req, res, o.write);
  }
  if (path === '/api/v1/read') {
    allow(method, ['POST']);
    authorize(req, 'read', o);
    return handleRead(req, res, o.read);
  }
  if (path === '/metrics') {
    allow(method, ['GET']);
    authorize(req, 'read', o);
    return sendText(res, 200, formatMetrics(o.stats, o.cache()), {
      'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
    });
  }
  if (path === '/api/v1/status') {
    allow(method, ['GET']);
    authorize(req, 'read', o);
    return sendJson(res, 200, { status: 'success', data: await o.status() } satisfies PrometheusSuccess<AdapterStatus>);
  }
  if (isPrometheusApiPath(path)) {
    authorize(req, 'read', o);
    return handlePrometheusApi(req, res, url, o.prometheus);
  }
  if (path === '/api/v1/query' || path === '/api/v1/query_range') {
    allow(method, ['GET', 'POST']);
    authorize(req, 'read', o);
    return handlePromQL(path, await withFormParams(req, url), req, res, o.promql);
  }
  if (path === '/api/v1/ds/query') {
    allow(method, ['POST']);
    authorize(req, 'read', o);
    return handleDsQuery(req, res, o.query);
  }
  throw new HttpError(404, `no route ${path}; see the adapter's README for the API`);
}

/** The request target as a URL; origin-form (`/path?query`) or absolute-form (`http://host/path`). */
function requestUrl(target = '/'): URL {
  try {
    return new URL(target, 'http://adapter');
  } catch {
    throw new HttpError(400, `request target ${JSON.stringify(target.slice(0, 200))} is not a URL path`);
  }
}

function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) throw new HttpError(405, `use ${methods.join(' or ')}`, { Allow: methods.join(', ') });
}

function authorize(req: IncomingMessage, role: Role, o: ServerOptions): void {
  if (o.authDisabled) return;
  const token = bearerToken(req.headers.authorization);
  const challenge = { 'WWW-Authenticate': 'Bearer realm="timescale-adapter"' };
  if (!token) throw new HttpError(401, `missing bearer token (${role} role)`, challenge);
  if (!o.tokens[role].size) throw new HttpError(403, `no ${role} tokens are configured on this adapter`);
  if (!o.tokens[role].accepts(token)) throw new HttpError(401, `token not accepted for the ${role} role`, challenge);
}

/**
 * The query string with a url-encoded POST body's fields before its own, so the body's win (Go's
 * FormValue); a body of any other type is no form, as in Prometheus (form-body.ts).
 */
async function withFormParams(req: IncomingMessage, url: URL): Promise<URL> {
  const form = await formBody(req);
  if (form === undefined) return url;
  const params = new URLSearchParams(form);
  for (const [k, v] of url.searchParams) params.append(k, v);
  url.search = params.toString();
  return url;
}

function fail(res: ServerResponse, err: unknown, log: Logger, req: IncomingMessage): void {
  let status = 500;
  let message: string;
  let headers: Record<string, string> = {};
  if (err instanceof HttpError) {
    ({ status, message, headers } = err);
  } else if (isTransientDbError(err)) {
    status = 503;
    message = `database unavailable, retry later: ${(err as Error).message}`;
    headers = { 'Retry-After': '5' };
  } else {
    log.error({ err: (err as Error).message, stack: (err as Error).stack, path: req.url }, 'request failed');
    message = `internal error: ${(err as Error).message}`;
  }
  if (status >= 500 && err instanceof HttpError) log.warn({ status, path: req.url }, message);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (req.url?.startsWith('/api/v1/write') || req.url?.startsWith('/api/v1/read')) {
    sendText(res, status, message, headers);
  } else {
    res.setHeader('Cache-Control', 'no-store');
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    sendJson(res, status, { status: 'error', errorType: errorType(status), error: message } satisfies PrometheusError);
  }
  // A refused upload may still be arriving; read it off so the connection can be reused.
  if (!req.complete) req.resume();
}

function errorType(status: number): PrometheusErrorType {
  return status === 400 || status === 422
    ? 'bad_data'
    : status === 401 || status === 403
      ? 'unauthorized'
      : status === 404
        ? 'not_found'
        : status === 503
          ? 'unavailable'
          : 'internal';
}
