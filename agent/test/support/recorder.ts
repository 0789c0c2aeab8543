// A pass-through in front of a real remote_write receiver that keeps a copy of every request
// the receiver accepted, decoded, so a test can compare what was sent with what was stored.
// While no receiver is set (or it is down) the connection is reset, as a dead receiver would.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { decodeWriteRequest } from '@nester/common/prompb/write';
import { snappyUncompress } from '@nester/common/prompb/snappy';

export interface Recorder {
  setUpstream(url: string | undefined): void;
  /** Accepted samples per series (key: JSON of sorted label pairs), as [seconds, "value"] like Prometheus' API. */
  accepted(): Map<string, [number, string][]>;
  reset(): void;
  close(): Promise<void>;
}

export async function startRecorder(port: number): Promise<Recorder> {
  let upstream: string | undefined;
  let samples = new Map<string, [number, string][]>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (!upstream) return req.socket.destroy();
    let answer: Response;
    try {
      answer = await fetch(`${upstream}${req.url}`, {
        method: 'POST',
        headers: req.headers as Record<string, string>,
        body,
      });
    } catch {
      return req.socket.destroy();
    }
    if (answer.ok) record(body);
    res.writeHead(answer.status).end(await answer.text());
  };
  // A handler that throws is an unhandled rejection: it fails the test.
  const server: Server = createServer((req, res) => void handle(req, res));
  const record = (body: Buffer) => {
    for (const series of decodeWriteRequest(snappyUncompress(body)).timeseries) {
      const key = JSON.stringify(series.labels.map((l) => [l.name, l.value]).sort(([a], [b]) => (a < b ? -1 : 1)));
      const list = samples.get(key) ?? [];
      for (const s of series.samples) list.push([s.timestamp / 1000, s.stale ? 'stale' : formatValue(s.value)]);
      samples.set(key, list);
    }
  };
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    setUpstream: (url) => (upstream = url),
    accepted: () => samples,
    reset: () => (samples = new Map()),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Prometheus' API writes values with Go's strconv 'f' -1 formatting; integers and short decimals agree with JS. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return Number.isInteger(value) && Math.abs(value) >= 1e21 ? value.toFixed(0) : String(value);
}
