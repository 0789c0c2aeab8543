// Prometheus-style listen addresses: ":9201", "127.0.0.1:9201", "[::1]:9201".

import { UsageError } from '@nester/common/config/flags';

export interface ListenAddress {
  host?: string;
  port: number;
}

export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new UsageError(`listen address "${text}" is not host:port (examples: :9201, 127.0.0.1:9201, [::1]:9201)`);
  }
  const host = match[1] ?? match[2];
  return { host: host === '' ? undefined : host, port };
}
