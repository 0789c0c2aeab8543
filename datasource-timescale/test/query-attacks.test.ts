// The query API under attack, against the real binary: pathological regexes, bad bytes and
// out-of-range numbers get a clear 4xx quickly, and the adapter stays alive and healthy.

import type { TestDatabase } from '@nester/testing/database';
import { encodeReadRequest } from '@nester/common/prompb/read';
import { snappyCompress } from '@nester/common/prompb/snappy';
import { MatcherType } from '@nester/common/prompb/types';
import { startAdapterBinary, type AdapterProcess } from './binary';
import { seeded, type Random } from '@nester/testing/random';
import { connect } from 'node:net';
import { createAdapterDatabase, READ_TOKEN, remoteWrite, series, writeBody } from './harness';

/** Generous: a loaded 2-core machine, but nowhere near a backtracking regex's hours. */
const ANSWER_WITHIN_MS = 15_000;

let db: TestDatabase;
let adapter: AdapterProcess;
const t0 = Date.now() - 10 * 60_000;
const LONG_VALUE = 'Debian GNU/Linux 12 (bookworm) on a rather long host name'; // 58 characters, no Z

beforeAll(async () => {
  db = await createAdapterDatabase('adapter_qattack');
  adapter = await startAdapterBinary([`--db.url=${db.url}`, '--query.timeout=10s']);
  const body = writeBody([
    series('node_os_info', { instance: 'a', pretty_name: LONG_VALUE }, [[t0, 1]]),
    series('up', { instance: 'a', job: 'node' }, [[t0, 1]]),
  ]);
  expect((await remoteWrite(adapter.url, body)).status).toBe(204);
}, 60_000);

afterAll(async () => {
  await adapter?.stop();
  await db?.drop();
});

async function get(path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${adapter.url}${path}`, {
    headers: { Authorization: `Bearer ${READ_TOKEN}` },
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  return { status: res.status, body: await res.text() };
}

async function postForm(path: string, form: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await fetch(`${adapter.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${READ_TOKEN}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  return { status: res.status, body: await res.text() };
}

async function dsQuery(queries: unknown[], from: unknown = t0 - 60_000, to: unknown = t0 + 60_000) {
  const res = await fetch(`${adapter.url}/api/v1/ds/query`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${READ_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ from, to, queries }),
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  return { status: res.status, body: await res.text() };
}

async function remoteRead(matchers: { type: MatcherType; name: string; value: string }[], start = t0, end = t0) {
  const res = await fetch(`${adapter.url}/api/v1/read`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${READ_TOKEN}`, 'Content-Encoding': 'snappy' },
    body: snappyCompress(
      encodeReadRequest({
        queries: [{ startTimestampMs: start, endTimestampMs: end, matchers }],
        acceptedResponseTypes: [],
      }),
    ),
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  return { status: res.status, body: await res.text() };
}

test('a catastrophic-backtracking regex is matched in linear time everywhere matchers are compiled', async () => {
  const selector = 'node_os_info{pretty_name=~"(.|.)*Z"}';
  const labels = await get(`/api/v1/labels?${new URLSearchParams({ 'match[]': selector })}`);
  expect(labels).toEqual({ status: 200, body: JSON.stringify({ status: 'success', data: [] }) });
  const values = await get(`/api/v1/label/instance/values?${new URLSearchParams({ 'match[]': selector })}`);
  expect(values.status).toBe(200);
  const query = await dsQuery([{ refId: 'A', selector }]);
  expect(query.status).toBe(200);
  expect(JSON.parse(query.body).results.A.frames).toEqual([]);
  const read = await remoteRead([
    { type: MatcherType.EQ, name: '__name__', value: 'node_os_info' },
    { type: MatcherType.RE, name: 'pretty_name', value: '(.|.)*Z' },
  ]);
  expect(read.status).toBe(200);
  // The same pattern matching: Go semantics, fully anchored.
  const matched = await get(
    `/api/v1/labels?${new URLSearchParams({ 'match[]': 'node_os_info{pretty_name=~"(.|.)*name"}' })}`,
  );
  expect(JSON.parse(matched.body).data).toEqual(['__name__', 'instance', 'pretty_name']);
  await adapter.expectUnharmed();
}, 90_000);

/** Sends raw bytes (request lines no fetch would send) and returns the status code answered. */
function rawRequest(port: number, head: Buffer | string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setTimeout(ANSWER_WITHIN_MS, () => socket.destroy(new Error('no answer in time')));
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
      if (status) resolve(Number(status[1]));
      else reject(new Error(`no status line for ${JSON.stringify(head.toString().slice(0, 100))}`));
    });
    socket.write(head);
  });
}

const auth = `Authorization: Bearer ${READ_TOKEN}\r\nConnection: close\r\n`;

test('bad bytes and out-of-range numbers get a clear 400, not a 500', async () => {
  // Nothing stored can hold a NUL (writes refuse it), and remote_read clients name huge times for
  // "all of time": these match nothing, or everything there is, as in Prometheus.
  const answered: [string, Promise<{ status: number; body: string }>][] = [
    ['NUL in a matcher value', get(`/api/v1/labels?${new URLSearchParams({ 'match[]': 'up{job="a\u0000b"}' })}`)],
    ['NUL as an escape', get(`/api/v1/labels?${new URLSearchParams({ 'match[]': 'up{job="\\x00"}' })}`)],
    ['invalid UTF-8 in match[]', get('/api/v1/labels?match[]=up%7Bjob%3D%22%FF%FE%22%7D')],
    ['NUL in a builder selector', dsQuery([{ refId: 'A', selector: 'up{job="\u0000"}' }])],
    [
      'remote_read up to 9e15 ms (past the end of Date)',
      remoteRead([{ type: MatcherType.EQ, name: '__name__', value: 'up' }], 0, 9e15),
    ],
    ['remote_read from -9e15 ms', remoteRead([{ type: MatcherType.EQ, name: '__name__', value: 'up' }], -9e15, t0)],
  ];
  const cases: [string, Promise<{ status: number; body: string }>][] = [
    ['%FF in a label name', get('/api/v1/label/%FF/values')],
    ['%00 in a label name', get('/api/v1/label/a%00b/values')],
    [
      'a regex of 5,000 nested groups',
      postForm('/api/v1/labels', { 'match[]': `up{job=~"${'('.repeat(5000)}${')'.repeat(5000)}"}` }),
    ],
    ['NUL in raw SQL', dsQuery([{ refId: 'A', kind: 'sql', sql: "SELECT 'a\u0000b' AS x" }])],
    ['from past the end of time', dsQuery([{ refId: 'A', selector: 'up' }], 9e15, 9e15 + 1)],
    ['from before the start of time', dsQuery([{ refId: 'A', selector: 'up' }], -9e15, 0)],
    ['a range of ten thousand years', dsQuery([{ refId: 'A', selector: 'up', function: 'rate', range: '87600000h' }])],
    ['a range of 1e300 ms', dsQuery([{ refId: 'A', selector: 'up', function: 'rate', range: 1e300 }])],
    ['a step of 1e300 ms', dsQuery([{ refId: 'A', selector: 'up', step: 1e300 }])],
    ['a step of 1e-300 ms', dsQuery([{ refId: 'A', selector: 'up', step: 1e-300 }])],
    ['a null query', dsQuery([null])],
    ['aggregation "by" not a list', dsQuery([{ refId: 'A', selector: 'up', aggregation: { op: 'sum', by: 5 } }])],
    ['a legend format that is no string', dsQuery([{ refId: 'A', selector: 'up', legendFormat: 5 }])],
    ['remote_read with a NUL label name', remoteRead([{ type: MatcherType.EQ, name: 'a\u0000', value: 'up' }])],
  ];
  const wrong = [];
  for (const [what, answer] of answered) {
    const { status, body } = await answer;
    if (status !== 200) wrong.push({ what, status, body });
  }
  for (const [what, answer] of cases) {
    const { status, body } = await answer;
    if (status !== 400 || /internal error/.test(body)) wrong.push({ what, status, body });
  }
  expect(wrong).toEqual([]);
  // Absolute-form targets are HTTP/1.1 (proxies send them): served when they parse, 400 when not.
  for (const [what, head, expected] of [
    ['absolute-form target, port out of range', `GET http://a:99999/x HTTP/1.1\r\nHost: a\r\n${auth}\r\n`, 400],
    ['absolute-form target', `GET http://a/api/v1/labels HTTP/1.1\r\nHost: a\r\n${auth}\r\n`, 200],
    ['asterisk target', `GET * HTTP/1.1\r\nHost: a\r\n${auth}\r\n`, 404],
    [
      'raw invalid UTF-8 in the path',
      Buffer.concat([
        Buffer.from('GET /api/v1/label/'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`/values HTTP/1.1\r\nHost: a\r\n${auth}\r\n`),
      ]),
      400,
    ],
  ] as const) {
    const status = await rawRequest(adapter.port, head);
    if (status !== expected) wrong.push({ what, status, body: '' });
  }
  expect(wrong).toEqual([]);
  await adapter.expectUnharmed();
}, 120_000);

// Pieces the fuzzer builds requests from: some well-formed, most not.
const CHARS = [
  'a',
  'Z',
  '0',
  '_',
  ':',
  '"',
  "'",
  '`',
  '\\',
  '{',
  '}',
  ',',
  '=',
  '~',
  '!',
  ' ',
  '\n',
  '\u0000',
  'é',
  '😀',
  '\ud800',
  '%',
  '/',
  '.',
  '*',
];
const NAMES = ['__name__', 'job', 'instance', 'pretty_name', 'le', '0bad', 'a-b', '', 'é'];
const REGEXES = [
  '(.|.)*Z',
  '(a*)*b',
  '(a|aa)+$',
  '((a+)+)+c',
  '(?i)DEBIAN.*',
  '\\p{Greek}+',
  '[^\\x00-\\x{10FFFF}]',
  'a{1000}',
  'a{1001}',
  '(?=x)',
  '\\1',
  '(?P<n>a)',
  '[[:alpha:]]+',
  '\\Q(.*\\E',
  '.*',
  '',
  '[',
  '*',
];
const OPS = ['=', '!=', '=~', '!~', '==', '~'];

function randomText(random: Random, max: number): string {
  return Array.from({ length: random.int(max) }, () => random.pick(CHARS)).join('');
}

function randomRegex(random: Random): string {
  const kind = random.int(4);
  if (kind === 0) {
    const depth = random.int(3000);
    return `${'('.repeat(depth)}a${')'.repeat(depth - random.int(2))}`;
  }
  if (kind === 1)
    return Array.from({ length: 1 + random.int(4) }, () => random.pick(REGEXES)).join(random.pick(['', '|']));
  return random.pick(REGEXES);
}

function randomSelector(random: Random): string {
  const quote = random.pick(['"', "'", '`']);
  const matchers = Array.from({ length: random.int(4) }, () => {
    const op = random.pick(OPS);
    const value = op.includes('~') && random.int(2) ? randomRegex(random) : randomText(random, 12);
    return `${random.pick(NAMES)}${op}${quote}${value.replaceAll(quote, `\\${quote}`)}${quote}`;
  });
  const text = `${random.pick(['up', 'node_os_info', '', '9bad', 'a:b'])}{${matchers.join(',')}}`;
  // Now and then, break it.
  return random.int(4) ? text : text.slice(0, random.int(text.length + 1)) + randomText(random, 4);
}

function randomJsonValue(random: Random): unknown {
  return random.pick([
    null,
    true,
    -1,
    0,
    0.5,
    1e300,
    -1e300,
    1e-300,
    15000,
    '5m',
    '0s',
    '-1m',
    'x',
    '',
    [],
    {},
    ['job'],
    [5],
  ]);
}

function randomDsBody(random: Random): unknown {
  const query: Record<string, unknown> = { refId: random.pick(['A', 'B', 7, null]) };
  if (random.int(5) === 0) query.kind = 'sql';
  query.selector = random.int(6) ? randomSelector(random) : randomJsonValue(random);
  for (const key of ['function', 'range', 'step', 'intervalMs', 'maxDataPoints', 'legendFormat', 'sql', 'hide']) {
    if (random.int(3) === 0) query[key] = randomJsonValue(random);
  }
  if (random.int(3) === 0) query.function = random.pick(['rate', 'increase', 'avg_over_time', 'nope']);
  if (random.int(3) === 0) {
    query.aggregation = {
      op: random.pick(['sum', 'avg', 'count', 'x', 5]),
      [random.pick(['by', 'without'])]: randomJsonValue(random),
    };
  }
  if (query.kind === 'sql')
    query.sql = random.pick(['SELECT 1', "SELECT '\u0000'", 'SELECT $__timeFilter(', randomText(random, 20)]);
  const times = [t0, t0 - 3_600_000, 9e15, -9e15, '2026-01-01T00:00:00Z', 'yesterday', null, 1e300];
  return {
    from: random.pick(times),
    to: random.pick(times),
    queries: random.int(8) ? [query] : random.pick([null, {}, [null], 'x']),
  };
}

function percentBytes(random: Random, n: number): string {
  return Array.from(random.bytes(n), (b) =>
    random.int(2) ? `%${b.toString(16).padStart(2, '0')}` : String.fromCharCode(97 + (b % 26)),
  ).join('');
}

test('fuzzed selectors, regexes, label names, bodies and request targets: every answer a 2xx or 4xx, in time', async () => {
  const random = seeded(20261203);
  const statuses = new Map<number, number>();
  const wrong: { request: string; status: number; body: string }[] = [];
  const deadline = Date.now() + 20_000;
  for (let i = 0; i < 600 && Date.now() < deadline; i++) {
    let request: string;
    let answer: { status: number; body: string };
    switch (random.int(7)) {
      case 0: {
        const params = new URLSearchParams();
        for (let k = random.int(3); k >= 0; k--) params.append('match[]', randomSelector(random));
        request = `GET /api/v1/labels?${params}`;
        answer = await get(`/api/v1/labels?${params}`);
        break;
      }
      case 1: {
        const selector = randomSelector(random);
        request = `POST /api/v1/labels ${selector}`;
        answer = await postForm('/api/v1/labels', { 'match[]': selector });
        break;
      }
      case 2: {
        const path = `/api/v1/label/${random.int(2) ? percentBytes(random, 1 + random.int(6)) : random.pick(NAMES)}/values?${new URLSearchParams({ 'match[]': randomSelector(random) })}`;
        request = `GET ${path}`;
        answer = await get(path);
        break;
      }
      case 3:
      case 4: {
        const body = randomDsBody(random);
        request = `POST /api/v1/ds/query ${JSON.stringify(body)}`;
        const res = await fetch(`${adapter.url}/api/v1/ds/query`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${READ_TOKEN}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
        });
        answer = { status: res.status, body: await res.text() };
        break;
      }
      case 5: {
        const matchers = Array.from({ length: random.int(3) }, () => ({
          type: random.int(4),
          name: random.pick(NAMES),
          value: random.int(2) ? randomRegex(random) : randomText(random, 8),
        }));
        const times = [t0, 0, -1, 9e15, -9e15, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
        request = `remote_read ${JSON.stringify(matchers)}`;
        answer = await remoteRead(matchers, random.pick(times), random.pick(times));
        break;
      }
      default: {
        const method = random.pick(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'FOO']);
        const target = random.pick([
          `/${percentBytes(random, random.int(12))}`,
          `http://${random.pick(['a', 'a:99999', '[::1]', 'a:b', ''])}/${percentBytes(random, random.int(6))}`,
          `//${percentBytes(random, 4)}`,
          '*',
          `/api/v1/${random.pick(['labels', 'label', 'read', 'write', 'status', 'ds/query', 'metrics'])}${random.pick(['', '/', '?', '/..', '%00'])}`,
        ]);
        request = `${method} ${target}`;
        answer = {
          status: await rawRequest(
            adapter.port,
            `${method} ${target} HTTP/1.1\r\nHost: a\r\n${auth}Content-Length: 0\r\n\r\n`,
          ),
          body: '',
        };
      }
    }
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    if (answer.status >= 500) wrong.push({ request: request.slice(0, 300), ...answer });
    if (i % 50 === 0) {
      const health = await fetch(`${adapter.url}/-/healthy`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
      expect(health.status).toBe(200);
    }
  }
  expect(wrong).toEqual([]);
  expect(statuses.get(200)).toBeGreaterThan(10);
  expect(statuses.get(400)).toBeGreaterThan(10);
  await adapter.expectUnharmed();
}, 120_000);
