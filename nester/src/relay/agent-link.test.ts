import { eventually } from '@nester/testing/services';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { acceptWebSocket } from '../http/websocket-handshake';
import { rejectUpgrade } from '../http/upgrade';
import { AgentLink } from './agent-link';

/** A server whose upgrades become AgentLinks; a `ws` client (as the agent uses) connected to it. */
async function connectedPair(): Promise<{ server: Server; link: AgentLink; client: WebSocket }> {
  const server = createServer();
  const linked = new Promise<AgentLink>((resolve) =>
    server.on('upgrade', (req, socket) => {
      if (!acceptWebSocket(req, socket)) return rejectUpgrade(socket, 400, 'not a WebSocket handshake');
      resolve(new AgentLink(socket, 1024 * 1024));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}/`, {
    perMessageDeflate: false,
    generateMask: (mask: Buffer) => void mask.fill(0), // as the agent does
  });
  await new Promise((resolve, reject) => (client.once('open', resolve), client.once('error', reject)));
  return { server, link: await linked, client };
}

describe('AgentLink with a ws client', () => {
  let pair: Awaited<ReturnType<typeof connectedPair>>;
  beforeEach(async () => (pair = await connectedPair()));
  afterEach(async () => {
    pair.client.terminate();
    // Resolves only once the link's socket is gone too: the HTTP server still counts it.
    await new Promise((resolve) => pair.server.close(resolve));
  });

  it('carries binary and text both ways and answers pings', async () => {
    const { link, client } = pair;
    const stream = randomBytes(3 * 1024 * 1024);
    const received: Buffer[] = [];
    const texts: string[] = [];
    link.released = () => true; // copies are taken below, so the read buffer may be reused
    link.on('message', (data: Buffer, binary: boolean) =>
      binary ? received.push(Buffer.from(data)) : texts.push(data.toString()),
    );
    for (let at = 0; at < stream.length; at += 256 * 1024) client.send(stream.subarray(at, at + 256 * 1024));
    client.send('{"type":"exit","code":0}');
    const back = new Promise<[Buffer, boolean][]>((resolve) => {
      const got: [Buffer, boolean][] = [];
      client.on('message', (data, binary) => got.push([data as Buffer, binary]) === 2 && resolve(got));
    });
    await eventually(() => texts.length > 0, 'the text message after the stream');
    expect(Buffer.concat(received).equals(stream)).toBe(true);
    expect(texts).toEqual(['{"type":"exit","code":0}']);

    link.send(Buffer.from([1, 2, 3]), { binary: true }, () => {});
    link.send(JSON.stringify({ type: 'resize', cols: 80, rows: 24 }), { binary: false }, () => {});
    expect(await back).toEqual([
      [Buffer.from([1, 2, 3]), true],
      [Buffer.from('{"type":"resize","cols":80,"rows":24}'), false],
    ]);
    const pong = new Promise((resolve) => link.once('pong', resolve));
    link.ping();
    await pong;
  });

  it("reports the agent's close code and reason", async () => {
    const { link, client } = pair;
    const closed = new Promise<[number, string]>((resolve) =>
      link.once('close', (code: number, reason: Buffer) => resolve([code, reason.toString()])),
    );
    client.close(4500, 'the VNC connection failed');
    expect(await closed).toEqual([4500, 'the VNC connection failed']);
    expect(link.readyState).toBe(link.CLOSED);
  });

  it('closes with its own code, and the agent sees it', async () => {
    const { link, client } = pair;
    const seen = new Promise<[number, string]>((resolve) =>
      client.once('close', (code, reason) => resolve([code, reason.toString()])),
    );
    const closed = new Promise((resolve) => link.once('close', resolve));
    link.close(4409, 'harvester revoked');
    expect(await seen).toEqual([4409, 'harvester revoked']);
    await closed;
  });

  it('refuses an unmasked frame with 1002', async () => {
    const { link, client } = pair;
    const errors: Error[] = [];
    link.on('error', (err: Error) => errors.push(err));
    const seen = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
    (client as unknown as { _socket: import('node:net').Socket })._socket.write(Buffer.from([0x82, 0x01, 0x00]));
    expect(await seen).toBe(1002);
    expect(errors[0]?.message).toMatch(/must be masked/);
  });
});
