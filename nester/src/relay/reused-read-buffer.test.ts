import { randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readIntoReusedBuffer } from './reused-read-buffer';

/** An HTTP server whose upgraded sockets are handed to `adopt`; resolves with the client's socket. */
async function upgradedPair(server: Server, adopt: (socket: Socket) => void): Promise<Socket> {
  server.on('upgrade', (_req, socket: Socket) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n');
    adopt(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', headers: { connection: 'upgrade', upgrade: 'test' } });
    req.on('upgrade', (_res, socket) => resolve(socket));
    req.on('error', reject);
    req.end();
  });
}

describe('readIntoReusedBuffer', () => {
  it('reads an upgraded socket into its buffer, and never reuses a chunk still referenced', async () => {
    const server = createServer();
    const sent = randomBytes(4 * 1024 * 1024);
    const copies: Buffer[] = [];
    const kept: { chunk: Buffer; copy: Buffer }[] = [];
    let keepNext = false;
    let adopted: Socket | null = null;
    const done = new Promise<void>((resolve) => {
      const client = upgradedPair(server, (socket) => {
        adopted = readIntoReusedBuffer(socket, 64 * 1024, {
          chunk: (chunk) => {
            const copy = Buffer.from(chunk);
            copies.push(copy);
            // Every other chunk is "still queued somewhere", as a busy browser socket would hold it.
            keepNext = !keepNext;
            if (keepNext) kept.push({ chunk, copy });
          },
          released: () => !keepNext,
        });
        adopted?.on('end', () => {
          adopted?.end();
          resolve();
        });
      });
      void client.then((socket) => socket.end(sent));
    });
    await done;
    expect(adopted).not.toBeNull();
    expect(Buffer.concat(copies).equals(sent)).toBe(true);
    expect(copies.length).toBeGreaterThan(4);
    for (const { chunk, copy } of kept) expect(chunk.equals(copy)).toBe(true);
    // The HTTP server no longer waits for the original socket once the adopted one closed.
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  });
});
