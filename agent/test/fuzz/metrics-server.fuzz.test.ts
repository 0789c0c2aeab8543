// Fuzz: the real agent's metrics port (:9100 in production) gets seeded random requests over raw
// TCP — methods, targets (absolute-form with impossible ports, bad percent-encodings, huge paths),
// versions, headers (missing or doubled Host, bad Content-Length and chunking, header floods),
// bodies and pipelining. Every answer is 2xx or 4xx, and afterwards the same process is alive,
// serves /metrics, and has logged no uncaught exception.

import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningHarvester, scrape, startHarvester } from '@nester/testing/harvester';
import { expositionProblems } from '../support/exposition-check';
import { type Random, seeded } from '@nester/testing/random';

const CRASH = /Uncaught|TypeError|RangeError|ReferenceError|\n\s+at .*\(.*:\d+:\d+\)/;

const METHODS = [
  'GET',
  'GET',
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'get',
  'G E T',
  'X',
];
const TARGETS = [
  '/metrics',
  '/metrics',
  '/',
  '/metrics?x=1&y',
  '/%6detrics',
  '/%zz',
  '/%',
  '/metrics%00',
  '/%ff%fe',
  'http://a:99999/metrics',
  'http://[::1]:9100/metrics',
  'HTTP://A/metrics?q',
  'https://x/metrics',
  'http://a:99999',
  'http://',
  'http:/metrics',
  'mailto:x@y',
  '*',
  'a:80',
  '//metrics',
  '/metrics/../metrics',
  '/metrics#frag',
  '/é',
  '',
];
const VERSIONS = [
  ...Array<string>(12).fill('HTTP/1.1'),
  'HTTP/1.0',
  'HTTP/1.0',
  'HTTP/2.0',
  'HTTP/0.9',
  'HTTP/1.x',
  'HTTP/9.9',
  'FOO',
  '',
];

interface Attempt {
  bytes: Buffer;
  /** Whether a well-behaved server must answer it (the request is complete). */
  complete: boolean;
  description: string;
}

function header(random: Random): string {
  switch (random.int(12)) {
    case 0:
      return `Accept-Encoding: ${random.pick(['gzip', 'gzip, deflate', 'br', '*', 'x'.repeat(5000), ''])}`;
    case 1:
      return `Content-Length: ${random.pick(['0', '-1', '99999999999999999999', 'abc', '5', '1, 2'])}`;
    case 2:
      return 'Transfer-Encoding: chunked';
    case 3:
      return `Connection: ${random.pick(['close', 'keep-alive', 'upgrade', ''])}`;
    case 4:
      return 'Expect: 100-continue';
    case 5:
      return `X-${random.string(1 + random.int(10), 'abcXYZ-_')}: ${random.string(random.int(40), 'abc \t;=,"\\é')}`;
    case 6:
      return `${random.string(1 + random.int(10), 'ab()<>@,;:\\"/[]?={} \t')}: x`;
    case 7:
      return 'Host: a\r\nHost: b';
    case 8:
      return `X-Big: ${'b'.repeat(random.pick([100, 10_000, 20_000]))}`;
    case 9:
      return Array.from({ length: random.pick([10, 200, 2000]) }, (_, i) => `X-Many-${i}: y`).join('\r\n');
    case 10:
      return `Upgrade: ${random.pick(['websocket', 'h2c'])}`;
    default:
      return `Bad\r\nInjected: ${random.string(5, 'abc\r\n')}`;
  }
}

function attempt(random: Random): Attempt {
  if (random.chance(0.05))
    return { bytes: random.bytes(1 + random.int(300)), complete: false, description: 'random bytes' };
  const method = random.pick(METHODS);
  let target = random.pick(TARGETS);
  if (random.chance(0.05)) target = `/${'m'.repeat(random.pick([2000, 9000, 100_000]))}`;
  if (random.chance(0.05)) target = random.string(1 + random.int(40), '/%?#:@abc019 \t"<>\\^`{|}');
  const version = random.pick(VERSIONS);
  const lines = [`${method} ${target}${version ? ` ${version}` : ''}`];
  if (random.chance(0.9))
    lines.push(`Host: ${random.chance(0.8) ? 'a' : random.pick(['127.0.0.1:9100', '', 'a b', '[::1]'])}`);
  for (let n = random.int(4); n > 0; n--) {
    lines.push(
      random.chance(0.6) ? random.pick(['Accept-Encoding: gzip', 'User-Agent: fuzz', 'Accept: */*']) : header(random),
    );
  }
  if (random.chance(0.7)) lines.push('Connection: close');
  let text = `${lines.join('\r\n')}\r\n\r\n`;
  if (random.chance(0.2))
    text += random.pick(['0\r\n\r\n', '5\r\nhello\r\n0\r\n\r\n', 'zz\r\n', random.string(20, 'abc')]);
  if (random.chance(0.1)) text += 'GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'; // pipelined
  const cut = random.chance(0.05) ? random.int(text.length) : text.length;
  return {
    bytes: Buffer.from(text.slice(0, cut)),
    complete:
      cut === text.length && /^(GET|HEAD) \/metrics HTTP\/1\.1\r\nHost: a\r\nConnection: close\r\n\r\n$/.test(text),
    description: JSON.stringify(text.slice(0, Math.min(cut, 300))),
  };
}

/** Sends the bytes, half-closes, and returns the status codes of every answer (none when the server just closed). */
function exchange(port: number, bytes: Buffer): Promise<number[]> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    const done = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      resolve([...text.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((match) => Number(match[1])));
    };
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', done);
    socket.on('error', () => undefined);
  });
}

describe('metrics server fuzz (fixed seed, real agent)', () => {
  let agent: RunningHarvester;
  let textfiles: string;

  beforeAll(async () => {
    textfiles = mkdtempSync(join(tmpdir(), 'server-fuzz-'));
    writeFileSync(join(textfiles, 'a.prom'), 'fuzz_ok 1\nnode_load1 99\n');
    agent = await startHarvester([
      '--collector.disable-defaults',
      '--collector.loadavg',
      '--collector.textfile',
      `--collector.textfile.directory=${textfiles}`,
    ]);
  });

  afterAll(async () => {
    await agent.service.stop('SIGKILL');
    rmSync(textfiles, { recursive: true, force: true });
  });

  it('answers 2xx or 4xx to 400 random requests and is still alive and serving afterwards', async () => {
    const random = seeded(9100);
    const bad: string[] = [];
    for (let n = 0; n < 400; n++) {
      const { bytes, complete, description } = attempt(random);
      // 100 Continue is an interim answer to `Expect: 100-continue`; the final ones count.
      const statuses = (await exchange(agent.port, bytes)).filter((status) => status !== 100);
      if (statuses.some((status) => status < 200 || status >= 500))
        bad.push(`${statuses.join(',')} for ${description}`);
      if (complete && statuses[0] !== 200) bad.push(`no 200 for ${description}`);
    }
    expect(bad).toEqual([]);
    expect(agent.service.process.exitCode).toBeNull();
    const text = await scrape(agent.url);
    expect(expositionProblems(text)).toEqual([]);
    expect(text).toContain('fuzz_ok 1\n');
    expect(text).toMatch(/^node_load1 (?!99\n)/m);
    expect(agent.service.output()).not.toMatch(CRASH);
  }, 60_000);
});
