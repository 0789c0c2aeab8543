// The release folder as requests see it: its catalog read at most every few seconds (a fleet
// installing at once asks for it hundreds of times), and the answers derived from it.

import type { IncomingMessage } from 'node:http';
import type { ReleasesInfo } from '@nester/contracts/nester/api';
import { type Catalog, readCatalog } from './catalog';
import type { SelfSignedPins } from './trust';

export interface ReleaseShelfOptions {
  dir: string;
  /** --public-url, when given: what install.sh and the install command point at. */
  publicUrl?: string;
  tls: boolean;
  selfSigned: SelfSignedPins | null;
  ttlMs?: number;
}

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

export class ReleaseShelf {
  private cached?: { at: number; catalog: Promise<Catalog> };

  constructor(private readonly options: ReleaseShelfOptions) {}

  catalog(): Promise<Catalog> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > (this.options.ttlMs ?? 5000)) {
      const catalog = readCatalog(this.options.dir);
      this.cached = { at: now, catalog };
      // A failed read is not kept: the next request tries again.
      catalog.catch(() => (this.cached = undefined));
    }
    return this.cached.catalog;
  }

  /** nester's URL for this request: --public-url, else the scheme and Host the client used. */
  baseUrl(req: IncomingMessage, fallback: string): string {
    if (this.options.publicUrl) return this.options.publicUrl.replace(/\/+$/, '');
    const host = req.headers.host;
    return host && HOST.test(host) ? `${this.options.tls ? 'https' : 'http'}://${host}` : fallback;
  }

  async info(baseUrl: string): Promise<ReleasesInfo> {
    const catalog = await this.catalog();
    return {
      harvester: catalog.harvester,
      installScriptUrl: catalog.installScript ? `${baseUrl}/install.sh` : null,
      selfSigned: this.options.selfSigned,
    };
  }
}
