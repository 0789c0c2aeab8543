import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError } from './http-error';
import { readBody } from './read-body';
import { sendJson, sendText } from './respond';

/** A server answering each request with `handle`, HttpErrors as text, for the duration of `work`. */
async function withServer(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  work: (port: number) => Promise<void>,
): Promise<void> {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: HttpError) => sendText(res, err.status, err.message, err.headers));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await work((server.address() as AddressInfo).port);
  } finally {
    server.close();
  }
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** POSTs `chunks` one write each; with `length` the request declares it, else it is chunked. A fresh connection each. */
function post(port: number, chunks: Buffer[], length?: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        agent: false,
        headers: length === undefined ? {} : { 'Content-Length': length },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    // The server may answer and close before the whole body is sent; the answer is what counts.
    req.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err),
    );
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const echo = (limit: number, tooLarge?: string) => async (req: IncomingMessage, res: ServerResponse) =>
  sendJson(res, 200, { bytes: (await readBody(req, limit, tooLarge)).length });

test('readBody returns the body within the limit, and 413 past it, declared or streamed', async () => {
  await withServer(echo(1000), async (port) => {
    const ok = await post(port, [Buffer.alloc(600), Buffer.alloc(400)]);
    expect(ok).toMatchObject({ status: 200, body: '{"bytes":1000}' });
    expect(ok.headers['content-type']).toBe('application/json');
    expect(ok.headers['content-length']).toBe('14');
    expect(await post(port, [Buffer.alloc(5000)], 5000)).toMatchObject({
      status: 413,
      body: 'request body of 5000 bytes is larger than the limit of 1000 bytes\n',
    });
    expect(await post(port, [Buffer.alloc(600), Buffer.alloc(600)])).toMatchObject({
      status: 413,
      body: 'request body is larger than the limit of 1000 bytes\n',
    });
  });
});

test('a caller can word the 413 its own way', async () => {
  await withServer(echo(10, 'form body larger than 10 bytes'), async (port) => {
    for (const answer of [await post(port, [Buffer.alloc(11)], 11), await post(port, [Buffer.alloc(11)])]) {
      expect(answer).toMatchObject({ status: 413, body: 'form body larger than 10 bytes\n' });
      expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
  });
});

test('sendText ends the text with one newline; headers of the caller win', async () => {
  await withServer(
    (req, res) => {
      if (req.url === '/a') sendText(res, 405, 'use GET', { Allow: 'GET' });
      else sendText(res, 200, 'ok\n', { 'Content-Type': 'text/plain; version=0.0.4' });
      return Promise.resolve();
    },
    async (port) => {
      const get = (path: string) =>
        new Promise<Answer>((resolve) =>
          request({ port, host: '127.0.0.1', path, agent: false }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
          }).end(),
        );
      const refused = await get('/a');
      expect(refused).toMatchObject({ status: 405, body: 'use GET\n' });
      expect(refused.headers.allow).toBe('GET');
      const ok = await get('/b');
      expect(ok).toMatchObject({ status: 200, body: 'ok\n' });
      expect(ok.headers['content-type']).toBe('text/plain; version=0.0.4');
    },
  );
});
