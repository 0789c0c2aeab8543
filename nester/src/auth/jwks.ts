// Grafana's signing keys, fetched from its JWKS URL and cached. An unknown kid (Grafana rotated
// its key) triggers one refresh, at most every `minRefreshMs`, so a stream of forged kids
// cannot make nester hammer Grafana.

import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Logger } from '@nester/common/log/logger';

export interface JwksOptions {
  url: string;
  log: Logger;
  minRefreshMs?: number;
  maxAgeMs?: number;
  fetchImpl?: typeof fetch;
}

export class JwksCache {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private inFlight?: Promise<void>;

  constructor(private readonly options: JwksOptions) {}

  async keyFor(kid: string): Promise<KeyObject | undefined> {
    const { minRefreshMs = 30_000, maxAgeMs = 3_600_000 } = this.options;
    const age = Date.now() - this.fetchedAt;
    if ((!this.keys.has(kid) && age > minRefreshMs) || age > maxAgeMs) await this.refresh();
    return this.keys.get(kid);
  }

  refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async load(): Promise<void> {
    const { url, log, fetchImpl = fetch } = this.options;
    this.fetchedAt = Date.now();
    try {
      const response = await fetchImpl(url, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { keys?: JsonWebKey[] };
      const keys = new Map<string, KeyObject>();
      for (const jwk of body.keys ?? []) {
        if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.kid !== 'string') continue;
        keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
      }
      this.keys = keys;
      log.info({ url, keys: [...keys.keys()] }, 'loaded Grafana signing keys');
    } catch (err) {
      log.warn({ url, err: (err as Error).message }, 'cannot load Grafana signing keys; keeping the previous ones');
    }
  }
}
