// The HTTP side of the agent: /metrics in the text format (gzip when asked, as Prometheus
// does), a small landing page, and a cap on parallel scrapes like promhttp's.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { sendText } from '@nester/common/http/respond';
import type { Logger } from '@nester/common/log/logger';
import { TEXT_CONTENT_TYPE, writeText } from '../exposition/text';
import type { MetricFamily } from '../metrics/family';
import type { Scraper } from '../scrape/scrape';
import { requestPath } from './request-path';

export interface MetricsServerOptions {
  scraper: Scraper;
  /** The agent's metrics about itself. */
  ownFamilies?: () => MetricFamily[];
  /** false with --web.disable-exporter-metrics: ownFamilies are not served (their names stay reserved). */
  exposeOwnFamilies?: boolean;
  telemetryPath: string;
  maxRequests: number;
  version: string;
  log: Logger;
}

export function createMetricsServer(options: MetricsServerOptions): Server {
  let inFlight = 0;
  return createServer((req, res) => {
    const path = requestPath(req.url ?? '/');
    if (path === undefined) {
      sendText(res, 400, 'malformed request target');
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    } else if (path === options.telemetryPath) {
      if (options.maxRequests > 0 && inFlight >= options.maxRequests) {
        sendText(res, 503, `limit of concurrent requests reached (${options.maxRequests}), try again later`);
        return;
      }
      inFlight++;
      serveMetrics(req, res, options)
        .catch((err: Error) => {
          options.log.error({ err: err.message }, 'scrape failed');
          if (!res.headersSent) sendText(res, 500, `error gathering metrics: ${err.message}`);
        })
        .finally(() => inFlight--);
    } else if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(landingPage(options));
    } else {
      sendText(res, 404, '404 page not found');
    }
  });
}

async function serveMetrics(req: IncomingMessage, res: ServerResponse, options: MetricsServerOptions) {
  const families = await options.scraper.scrape(options.ownFamilies?.(), options.exposeOwnFamilies ?? true);
  let body: string | Buffer = writeText(families);
  const headers: Record<string, string> = { 'Content-Type': TEXT_CONTENT_TYPE };
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    // In line, as node_exporter does: ~1 ms for a scrape's text, and zlib's window is freed at
    // once instead of lingering in a thread-pool thread's malloc arena (RSS).
    body = gzipSync(body);
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function landingPage({ telemetryPath, version }: MetricsServerOptions): string {
  return `<!doctype html>
<html><head><title>Nester harvester</title></head>
<body>
<h1>Nester harvester ${version}</h1>
<p>node_exporter-compatible metrics: <a href="${telemetryPath}">${telemetryPath}</a></p>
</body></html>
`;
}
