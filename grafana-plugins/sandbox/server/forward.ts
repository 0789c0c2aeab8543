import http, { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';

import { SandboxUser } from './identity';

export const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

export interface ForwardOptions {
  target: URL;
  /** The request target to send, when it must not be the one `target` normalises to. */
  path?: string;
  method: string;
  /** The route's headers, already interpolated; they win over what the browser sent. */
  routeHeaders: Record<string, string>;
  /** The route's body, replacing the browser's. */
  body?: string;
  user: SandboxUser;
  sendUserHeader: boolean;
  idToken?: string;
  /** Request headers the proxy never passes on, beyond cookies and hop-by-hop ones. */
  dropHeaders?: string[];
  /**
   * Grafana's datasource proxy answers an upstream 401 with a 400 and this text, so that the
   * browser does not take it for its own Grafana session having expired.
   */
  unauthorizedAs400?: string;
  /** Called with "<upstream url> <status>" or "<status> (<reason>)". */
  log: (line: string) => void;
}

/** The reverse proxy part Grafana's plugin and datasource proxies share (proxyutil.NewReverseProxy). */
export function forwardRequest(req: IncomingMessage, res: ServerResponse, o: ForwardOptions): void {
  const outgoing: http.OutgoingHttpHeaders = {};
  const dropped = ['cookie', 'set-cookie', 'host', 'x-grafana-user', 'x-grafana-id', ...(o.dropHeaders ?? [])];
  for (const [name, value] of Object.entries(req.headers)) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.includes(lower) || dropped.includes(lower)) {
      continue;
    }
    outgoing[lower] = value;
  }
  const client = req.socket.remoteAddress ?? '';
  // Node joins repeated X-Forwarded-For headers into one; the type allows a list all the same.
  const forwardedFor = [req.headers['x-forwarded-for'] ?? []].flat().join(', ');
  outgoing['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${client}` : client;
  if (o.sendUserHeader) {
    outgoing['x-grafana-user'] = o.user.login;
  }
  if (o.idToken) {
    outgoing['x-grafana-id'] = o.idToken;
  }
  Object.assign(outgoing, o.routeHeaders);
  if (o.body !== undefined) {
    outgoing['content-length'] = Buffer.byteLength(o.body);
  }

  const transport = o.target.protocol === 'https:' ? https : http;
  const path = o.path ?? `${o.target.pathname}${o.target.search}`;
  const upstream = transport.request(o.target, { method: o.method, headers: outgoing, path }, (answer) => {
    o.log(`${o.target.origin}${path.split('?')[0]} ${answer.statusCode}`);
    if (answer.statusCode === 401 && o.unauthorizedAs400 !== undefined) {
      answer.resume();
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(o.unauthorizedAs400);
      return;
    }
    const responseHeaders = { ...answer.headers };
    delete responseHeaders['set-cookie'];
    for (const name of HOP_BY_HOP) {
      delete responseHeaders[name];
    }
    res.writeHead(answer.statusCode ?? 502, responseHeaders);
    answer.pipe(res);
  });
  upstream.setTimeout(30_000, () => upstream.destroy(new Error('upstream timed out')));
  upstream.on('error', (err) => {
    o.log(`502 (${err.message})`);
    if (!res.headersSent) {
      const timedOut = err.message === 'upstream timed out';
      res.writeHead(timedOut ? 504 : 502, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(timedOut ? 'Gateway Timeout' : 'Bad Gateway');
    } else {
      res.destroy();
    }
  });
  req.on('aborted', () => upstream.destroy());
  if (o.body !== undefined) {
    upstream.end(o.body);
  } else {
    req.pipe(upstream);
  }
}
