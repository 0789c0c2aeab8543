// node_exporter's listen-address forms: ":9100", "127.0.0.1:9100", "[::1]:9100".

export interface ListenAddress {
  host?: string;
  port: number;
}

export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new Error(`listen address "${text}" is not host:port (examples: :9100, 127.0.0.1:9100, [::1]:9100)`);
  }
  const host = match[1] ?? match[2];
  return { host: host === '' ? undefined : host, port };
}
