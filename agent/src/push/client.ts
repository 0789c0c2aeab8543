// One remote_write 1.0 request, with the headers the spec requires, classified the way the
// spec tells a sender to act on it: accepted, worth retrying, or refused for good.

import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { parseRetryAfter } from '../retry/backoff';

export type SendOutcome =
  | { kind: 'accepted'; status: number }
  | { kind: 'retry'; status?: number; reason: string; retryAfterMs?: number }
  | { kind: 'refused'; status: number; reason: string };

export interface ClientOptions {
  url: string;
  /** File holding the bearer token; read at each request so rotation needs no restart. */
  bearerTokenFile?: string;
  caFile?: string;
  timeoutMs: number;
  userAgent: string;
}

export class RemoteWriteClient {
  private readonly url: URL;
  private readonly agent: HttpAgent;

  constructor(private readonly options: ClientOptions) {
    this.url = new URL(options.url);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') {
      throw new Error(`remote_write URL ${options.url} must be http:// or https://`);
    }
    this.agent =
      this.url.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true, ca: options.caFile ? readFileSync(options.caFile) : undefined })
        : new HttpAgent({ keepAlive: true });
  }

  send(body: Buffer): Promise<SendOutcome> {
    const headers: Record<string, string | number> = {
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'User-Agent': this.options.userAgent,
      'X-Prometheus-Remote-Write-Version': '0.1.0',
      'Content-Length': body.length,
    };
    if (this.options.bearerTokenFile) {
      try {
        headers.Authorization = `Bearer ${readFileSync(this.options.bearerTokenFile, 'utf8').trim()}`;
      } catch (err) {
        const reason = `cannot read bearer token file ${this.options.bearerTokenFile}: ${(err as NodeJS.ErrnoException).code}`;
        return Promise.resolve({ kind: 'retry', reason });
      }
    }
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = send(
        this.url,
        { method: 'POST', headers, agent: this.agent, timeout: this.options.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < 1024) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', () =>
            resolve(
              classify(
                res.statusCode ?? 0,
                Buffer.concat(chunks).toString('utf8', 0, 512).trim(),
                res.headers['retry-after'],
              ),
            ),
          );
          res.on('error', (err) => resolve({ kind: 'retry', reason: err.message }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      req.on('error', (err) => resolve({ kind: 'retry', reason: err.message }));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The spec's rules: retry 5xx and 429 (honouring Retry-After), never other 4xx. */
export function classify(status: number, body: string, retryAfter?: string): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'accepted', status };
  const reason = body || `HTTP ${status}`;
  if (status === 429 || status >= 500)
    return { kind: 'retry', status, reason, retryAfterMs: parseRetryAfter(retryAfter) };
  return { kind: 'refused', status, reason };
}
