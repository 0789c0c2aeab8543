// Fuzzing the inputs of Prometheus' HTTP API (series, labels, label values, metadata, exemplars,
// status) and the metadata of remote_write bodies, with fixed seeds: every answer a clear 4xx
// (400 bad_data for bad input) or a 200 in Prometheus' envelope, never a 5xx; what was stored
// before is still there, and the adapter serves on.

import { seeded, type Random } from '@nester/testing/random';
import { snappyCompress } from '@nester/common/prompb/snappy';
import { encodeWriteRequest } from '@nester/common/prompb/write';
import { MetricType } from '@nester/common/prompb/types';
import { getJson, READ_TOKEN, remoteWrite, series, startHarness, writeBody, type Harness } from './harness';

let h: Harness;
const t0 = Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000;
const SENTINEL = { type: 'gauge', help: 'Kept through the fuzzing.', unit: 'bytes' };

beforeAll(async () => {
  h = await startHarness('adapter_prom_api_fuzz');
  const body = writeBody([
    series('node_load1', { instance: 'a:9100', job: 'node' }, [[t0, 0.5]]),
    series('node_load1', { instance: 'b:9100', job: 'node' }, [[t0 + 60_000, 0.7]]),
    series('up', { instance: 'a:9100', job: 'node' }, [[t0, 1]]),
  ]);
  expect((await remoteWrite(h.url, body)).status).toBe(204);
  const metadata = snappyCompress(
    encodeWriteRequest({
      timeseries: [],
      metadata: [{ type: MetricType.GAUGE, metricFamilyName: 'node_load1', help: SENTINEL.help, unit: 'bytes' }],
    }),
  );
  expect((await remoteWrite(h.url, metadata)).status).toBe(204);
});
afterAll(() => h.stop());

const PIECES = [
  '{',
  '}',
  '"',
  "'",
  '`',
  '=',
  '=~',
  '!=',
  '!~',
  ',',
  '(',
  ')',
  '[',
  ']',
  '*',
  '+',
  '.',
  '\\',
  '|',
  'up',
  'job',
  '__name__',
  'node_load1',
  ' ',
  '\n',
  '\u0000',
  'é',
  '\ud800',
  '%',
  '%FF',
  '%zz',
  ';',
  '&',
  '5m',
  'sum',
  '{{',
  '^',
  '$',
];
const TIMES = [
  '',
  '0',
  '1',
  '-1',
  '1e9',
  '1e20',
  '1e400',
  '-1e400',
  'NaN',
  'Inf',
  '-Inf',
  '+inf',
  '1.5',
  '.5',
  '1.',
  '1e',
  'x',
  '2026-01-01T00:00:00Z',
  '2026-02-31T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999999999+14:00',
  '-292273086-05-16T16:47:06Z',
  '292277025-08-18T07:12:54.999999999Z',
  '1e-400',
  '9007199254740993',
  String(t0 / 1000),
];
const LIMITS = [
  '',
  '0',
  '1',
  '-1',
  '+1',
  '1.5',
  'x',
  '99999999999999999999',
  '9223372036854775807',
  '-9223372036854775808',
  '2147483648',
  ' 3',
];

function text(r: Random, max = 6): string {
  let out = '';
  for (let i = r.int(max); i >= 0; i--) out += r.pick(PIECES);
  return out;
}

function selector(r: Random): string {
  switch (r.int(5)) {
    case 0:
      return r.pick(['up', 'node_load1', '{job="node"}', '{__name__=~"node_.*"}', '{instance!="a:9100",job="node"}']);
    case 1:
      return `{job=~"${'('.repeat(r.int(60))}a${')'.repeat(r.int(60))}"}`;
    case 2:
      return `up{job=~"${r.pick(['(.|.)*', '(a*)*b', '.*.*.*=.*', '[', '\\', 'a{1001}', '(?i)NODE'])}${r.string(r.int(5), 'ab.*')}"}`;
    default:
      return text(r, 12);
  }
}

/** Percent-encoded UTF-8 (lone surrogates become U+FFFD, which encodeURIComponent refuses). */
function percent(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`,
    )
    .join('');
}

/** A query string of random parameters, sometimes with raw (not percent-encoded) bytes. */
function params(r: Random): string {
  const pairs: string[] = [];
  for (let i = r.int(5); i >= 0; i--) {
    const name = r.pick(['match[]', 'match[]', 'start', 'end', 'limit', 'metric', 'query', text(r, 2)]);
    const value =
      name === 'start' || name === 'end'
        ? r.pick(TIMES)
        : name === 'limit'
          ? r.pick(LIMITS)
          : name === 'match[]' || name === 'query'
            ? selector(r)
            : text(r);
    pairs.push(r.chance(0.1) ? `${name}=${value}` : `${percent(name)}=${percent(value)}`);
  }
  return pairs.join(r.chance(0.05) ? ';' : '&');
}

const PATHS = [
  '/api/v1/series',
  '/api/v1/labels',
  '/api/v1/metadata',
  '/api/v1/query_exemplars',
  '/api/v1/status/buildinfo',
  '/api/v1/status/runtimeinfo',
];

function path(r: Random): string {
  if (r.chance(0.3)) {
    const name = r.pick(['job', '__name__', 'instance', 'nothing', text(r, 2), '%FF', '%00', 'a%2Fb', '%E2%82', '1x']);
    return `/api/v1/label/${name.replace(/[/?#]/g, encodeURIComponent)}/values`;
  }
  return r.pick(PATHS);
}

async function send(r: Random): Promise<{ request: string; status: number; body: string }> {
  const target = path(r);
  const query = params(r);
  const post = r.chance(0.3);
  const request = `${post ? 'POST' : 'GET'} ${target} ${query}`;
  let res: Response;
  try {
    res = await fetch(`${h.url}${target}${post ? '' : `?${query}`}`, {
      method: post ? 'POST' : 'GET',
      headers: {
        Authorization: `Bearer ${READ_TOKEN}`,
        ...(post ? { 'Content-Type': r.pick(['application/x-www-form-urlencoded', 'text/plain', '']) } : {}),
      },
      body: post ? query : undefined,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    // fetch itself refuses some targets (bytes it will not send): nothing reached the adapter.
    if (err instanceof TypeError && !/fetch failed/.test(err.message)) return { request, status: 0, body: '' };
    throw err;
  }
  return { request, status: res.status, body: await res.text() };
}

test('random parameters on every endpoint: 200 or a 4xx in the Prometheus envelope', async () => {
  const wrong: unknown[] = [];
  const seen = new Map<number, number>();
  for (const seed of [1, 2, 3, 4]) {
    const r = seeded(seed);
    for (let i = 0; i < 100; i++) {
      const { request, status, body } = await send(r);
      if (status === 0) continue;
      seen.set(status, (seen.get(status) ?? 0) + 1);
      let parsed: { status?: string; errorType?: string } = {};
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        wrong.push({ seed, i, request, status, body: body.slice(0, 200) });
        continue;
      }
      const ok =
        (status === 200 && parsed.status === 'success') ||
        (status === 400 && parsed.status === 'error' && parsed.errorType === 'bad_data') ||
        (status === 405 && parsed.status === 'error') ||
        (status === 404 && parsed.errorType === 'not_found' && /\/label\/\/values/.test(body)); // an empty name
      if (!ok) wrong.push({ seed, i, request, status, body: body.slice(0, 200) });
    }
  }
  expect(wrong).toEqual([]);
  // The inputs reach both answers: some succeed, many are refused.
  expect(seen.get(200)).toBeGreaterThan(40);
  expect(seen.get(400)).toBeGreaterThan(40);
}, 120_000);

/** A MetricMetadata message from raw parts: texts may be any bytes, fields any wire type. */
function rawMetadata(r: Random): Buffer {
  const parts: Buffer[] = [];
  const varint = (n: number) => {
    const out: number[] = [];
    do {
      out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n = Math.floor(n / 128);
    } while (n > 0);
    return Buffer.from(out);
  };
  const bytesField = (field: number, bytes: Buffer) =>
    Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
  const someText = (): Buffer =>
    r.pick([
      () => Buffer.from(r.pick(['fuzz_gauge', 'go_goroutines', 'bad name', '', '1x', 'a:b', 'é'])),
      () => r.bytes(r.int(40)),
      () => Buffer.from('x'.repeat(r.pick([2048, 2049, 5000]))),
      () => Buffer.from(`a\u0000b`),
      () => Buffer.from([0xff, 0xfe]),
    ])();
  if (r.chance(0.7)) {
    // A valid entry, so that requests also succeed.
    parts.push(Buffer.concat([varint(1 << 3), varint(r.int(8))]));
    parts.push(bytesField(2, Buffer.from(r.pick(['fuzz_gauge', 'go_goroutines', 'fuzz_total', 'a:b']))));
    parts.push(bytesField(4, Buffer.from(r.string(r.int(30), 'abc é.\n'))));
    const message = Buffer.concat(parts);
    return Buffer.concat([varint((3 << 3) | 2), varint(message.length), message]);
  }
  if (r.chance(0.9))
    parts.push(Buffer.concat([varint(1 << 3), varint(r.pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 99, 2 ** 31]))]));
  if (r.chance(0.9)) parts.push(bytesField(2, someText()));
  if (r.chance(0.7)) parts.push(bytesField(4, someText()));
  if (r.chance(0.5)) parts.push(bytesField(5, someText()));
  if (r.chance(0.1)) parts.push(bytesField(r.pick([1, 3, 6, 15]), someText())); // wrong wire type or unknown field
  if (r.chance(0.3)) parts.reverse(); // fields in any order
  const message = Buffer.concat(parts);
  return Buffer.concat([varint((3 << 3) | 2), varint(message.length), message]);
}

test('random metadata in write bodies: 204 or 400, stored data intact, still serving', async () => {
  const before = (await getJson(h.url, '/api/v1/series?match[]={job="node"}')).body;
  const statuses = new Map<number, number>();
  const wrong: unknown[] = [];
  for (const seed of [11, 12, 13]) {
    const r = seeded(seed);
    for (let i = 0; i < 50; i++) {
      let body = Buffer.concat(Array.from({ length: r.between(1, 3) }, () => rawMetadata(r)));
      if (r.chance(0.2)) body = body.subarray(0, r.int(body.length)); // truncated
      if (r.chance(0.1)) body[r.int(body.length)] ^= 1 << r.int(8);
      const answer = await remoteWrite(h.url, snappyCompress(body));
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status !== 204 && answer.status !== 400) wrong.push({ seed, i, ...answer });
    }
  }
  expect(wrong).toEqual([]);
  expect(statuses.get(204)).toBeGreaterThan(5);
  expect(statuses.get(400)).toBeGreaterThan(5);
  expect((await getJson(h.url, '/api/v1/series?match[]={job="node"}')).body).toEqual(before);
  const load = (await getJson(h.url, '/api/v1/metadata?metric=node_load1')).body.data.node_load1;
  expect(load).toEqual([SENTINEL]); // the fuzzed families are others (each keeps 10 entries at most)
  // What was stored is what /api/v1/metadata lists: every entry valid.
  const all = (await getJson(h.url, '/api/v1/metadata')).body.data as Record<string, { type: string }[]>;
  for (const [name, entries] of Object.entries(all)) {
    expect(name).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
    for (const e of entries)
      expect(['unknown', 'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset']).toContain(
        e.type,
      );
  }
  expect((await fetch(`${h.url}/-/healthy`)).status).toBe(200);
}, 120_000);
