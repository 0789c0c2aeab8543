import { type AddressInfo, connect } from 'node:net';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { createLogger } from '@nester/common/log/logger';
import { gauge, single } from '../metrics/family';
import type { Scraper } from '../scrape/scrape';
import { createMetricsServer } from './metrics-server';

function get(
  port: number,
  headers: Record<string, string>,
): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path: '/metrics', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

const ONE_SAMPLE = {
  scrape: () => Promise.resolve([gauge('node_load1', '1m load average.', single(0.25))]),
} as unknown as Scraper;

/** Runs `work` against a metrics server on a free loopback port (by default serving one node_load1 sample). */
async function withServer(
  work: (port: number) => Promise<void>,
  scraper: Scraper = ONE_SAMPLE,
  maxRequests = 40,
): Promise<void> {
  const server = createMetricsServer({
    scraper,
    telemetryPath: '/metrics',
    maxRequests,
    version: 'test',
    log: createLogger({ name: 'test', level: 'silent' }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await work((server.address() as AddressInfo).port);
  } finally {
    server.close();
  }
}

test('a scrape asking for gzip gets the same exposition, compressed, with a matching Content-Length', async () => {
  await withServer(async (port) => {
    const plain = await get(port, {});
    const zipped = await get(port, { 'Accept-Encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toContain('node_load1 0.25\n');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(Number(zipped.headers['content-length'])).toBe(zipped.body.length);
    expect(gunzipSync(zipped.body).toString()).toBe(plain.body.toString());
  });
});

/** The answer to one raw HTTP/1.1 request, as written (targets fetch() would normalise). */
function rawAnswer(port: number, requestLine: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.end(`${requestLine}\r\nHost: a\r\nConnection: close\r\n\r\n`),
    );
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('end', () => {
      const [head, body = ''] = answer.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), head, body });
    });
    socket.on('error', reject);
  });
}

const rawStatus = async (port: number, requestLine: string) => (await rawAnswer(port, requestLine)).status;

test('request targets are read as Go reads them: absolute-form and percent-encoded paths, 400 when malformed', async () => {
  await withServer(async (port) => {
    expect(await rawStatus(port, 'GET http://a:99999/metrics HTTP/1.1')).toBe(200);
    expect(await rawStatus(port, 'GET HTTP://a/metrics?x=1 HTTP/1.1')).toBe(200);
    expect(await rawStatus(port, 'GET /%6detrics HTTP/1.1')).toBe(200);
    expect(await rawStatus(port, 'GET http://a:99999 HTTP/1.1')).toBe(200); // the landing page
    expect(await rawStatus(port, 'GET /%zz HTTP/1.1')).toBe(400);
    expect(await rawStatus(port, 'GET /metrics%E0%A4%A HTTP/1.1')).toBe(400);
    expect(await rawStatus(port, 'GET nonsense HTTP/1.1')).toBe(400);
    expect(await rawStatus(port, 'GET /other HTTP/1.1')).toBe(404);
  });
});

test("every refusal is a line of plain text saying why, as Go's http.Error writes it", async () => {
  let release = () => undefined as void;
  let started = () => undefined as void;
  const scraping = new Promise<void>((resolve) => (started = resolve));
  let fail = false;
  const scraper = {
    scrape: () => {
      started();
      if (fail) return Promise.reject(new Error('collector exploded'));
      return new Promise<never[]>((resolve) => (release = () => resolve([])));
    },
  } as unknown as Scraper;
  await withServer(
    async (port) => {
      // HTTP/1.0 requests: the answers come unchunked, as sent.
      const held = rawAnswer(port, 'GET /metrics HTTP/1.0'); // takes the only slot until released
      await scraping;
      const answers = [
        await rawAnswer(port, 'GET /%zz HTTP/1.0'),
        await rawAnswer(port, 'GET /other HTTP/1.0'),
        await rawAnswer(port, 'POST /metrics HTTP/1.0'),
        await rawAnswer(port, 'GET /metrics HTTP/1.0'),
      ];
      release();
      await held;
      fail = true;
      answers.push(await rawAnswer(port, 'GET /metrics HTTP/1.0'));
      expect(answers.map((answer) => [answer.status, answer.body])).toEqual([
        [400, 'malformed request target\n'],
        [404, '404 page not found\n'],
        [405, 'method not allowed\n'],
        [503, 'limit of concurrent requests reached (1), try again later\n'],
        [500, 'error gathering metrics: collector exploded\n'],
      ]);
      for (const answer of answers) expect(answer.head).toMatch(/^Content-Type: text\/plain; charset=utf-8$/im);
      expect(answers[2].head).toMatch(/^Allow: GET, HEAD$/im);
    },
    scraper,
    1,
  );
});
