// Test support: an HTTP exchange over a bare TCP socket, for requests no HTTP client would send
// (bad targets, broken headers, random bytes).

import { connect } from 'node:net';

export interface RawAnswer {
  /** The status code, or undefined when the server closed without answering. */
  status?: number;
  head: string;
  body: string;
}

/**
 * Sends `request` and reads until the server closes, or until a `101` head arrives (then the
 * socket is closed by us after `afterUpgrade` ran), or `timeoutMs` passes.
 */
export function rawExchange(
  port: number,
  request: string | Buffer,
  { timeoutMs = 5000, afterUpgrade }: { timeoutMs?: number; afterUpgrade?: (send: (b: Buffer) => void) => void } = {},
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let upgraded = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = data.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const head = end < 0 ? text : text.slice(0, end);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
      resolve({ status: status ? Number(status) : undefined, head, body: end < 0 ? '' : text.slice(end + 4) });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('error', () => {});
    socket.on('close', finish);
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (!upgraded && /^HTTP\/1\.1 101 /.test(data.toString('latin1')) && data.includes('\r\n\r\n')) {
        upgraded = true;
        if (afterUpgrade) afterUpgrade((bytes) => socket.write(bytes));
        setTimeout(finish, 300);
      }
    });
    socket.write(request);
  });
}

/** A GET (or other) request with `Connection: close`, so the answer ends with the connection. */
export function httpRequest(method: string, target: string, headers: Record<string, string> = {}, body = ''): string {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
