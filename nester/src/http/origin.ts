// The Origin allow-list for browser WebSockets (the defence against cross-site WebSocket
// hijacking). Entries are full origins: scheme, host and port must match exactly.

export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(origins: string[]) {
    this.allowed = new Set(origins.map(normalizeOrigin));
  }

  allows(origin: string | undefined): boolean {
    if (!origin) return false;
    try {
      return this.allowed.has(normalizeOrigin(origin));
    } catch {
      return false;
    }
  }

  get list(): string[] {
    return [...this.allowed];
  }
}

/** `https://Grafana.example.com:443/` → `https://grafana.example.com`; throws on anything that is not an origin. */
export function normalizeOrigin(text: string): string {
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${text} is not an http(s) origin`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    throw new Error(`${text} is not an origin (scheme://host[:port] only)`);
  }
  return url.origin;
}
