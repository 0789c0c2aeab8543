// Prometheus-style listen addresses, as every Nester server takes them: ":9100" (all
// interfaces), "127.0.0.1:9100", "[::1]:9100".

import { UsageError } from './flags';

export interface ListenAddress {
  /** undefined: every interface. */
  host?: string;
  port: number;
}

export function parseListenAddress(text: string, flag = '--web.listen-address'): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new UsageError(`${flag} "${text}" is not host:port (examples: :9100, 127.0.0.1:9100, [::1]:9100)`);
  }
  const host = match[1] ?? match[2];
  return { host: host === '' ? undefined : host, port };
}
