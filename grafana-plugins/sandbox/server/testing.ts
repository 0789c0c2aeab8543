// Test support for the sandbox server: an upstream that records what the proxy forwarded, and
// signing in as a chosen user.

import http, { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RecordingUpstream {
  url: string;
  /** Every request received, in order; tests may empty it between cases. */
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** An HTTP server on loopback that records each request (body included) before `answer` replies. */
export async function startRecordingUpstream(
  answer: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<RecordingUpstream> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Signs in to the sandbox at `sandboxUrl` as `login` with `role`; the session cookie to send. */
export async function signIn(sandboxUrl: string, login: string, role: string): Promise<string> {
  const response = await fetch(`${sandboxUrl}sandbox/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, role }),
  });
  if (response.status !== 200) throw new Error(`signing in as ${login} (${role}): HTTP ${response.status}`);
  return response.headers.get('set-cookie')!.split(';')[0];
}
