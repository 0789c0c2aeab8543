// Bad input and bad days: fuzzed bodies, a database that goes away, remote_read edge cases.

import { createServer, connect, type Server, type Socket } from 'node:net';
import type { TestDatabase } from '@nester/testing/database';
import { decodeReadResponse, encodeReadRequest } from '@nester/common/prompb/read';
import { snappyCompress, snappyUncompress } from '@nester/common/prompb/snappy';
import { MatcherType, type LabelMatcher } from '@nester/common/prompb/types';
import { encodeWriteRequest } from '@nester/common/prompb/write';
import { startAdapter } from '../src/app';
import {
  adapterConfig,
  createAdapterDatabase,
  READ_TOKEN,
  remoteWrite,
  series,
  startHarness,
  storedRows,
  writeBody,
  type Harness,
} from './harness';

let h: Harness;
const t0 = Date.now() - 10 * 60_000;
beforeAll(async () => {
  h = await startHarness('adapter_robust');
  const body = writeBody([
    series('up', { instance: 'a', job: 'node' }, [
      [t0, 1],
      [t0 + 1000, 1],
    ]),
    series('up', { instance: 'b', job: 'node', zone: 'x' }, [[t0, 0]]),
    series('up', { instance: 'c', job: 'other' }, [[t0, 1]]),
  ]);
  expect((await remoteWrite(h.url, body)).status).toBe(204);
});
afterAll(() => h.stop());

async function remoteRead(matchers: LabelMatcher[], start = t0 - 1000, end = t0 + 60_000) {
  const res = await fetch(`${h.url}/api/v1/read`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${READ_TOKEN}`,
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
    },
    body: snappyCompress(
      encodeReadRequest({
        queries: [{ startTimestampMs: start, endTimestampMs: end, matchers }],
        acceptedResponseTypes: [0],
      }),
    ),
  });
  if (res.status !== 200) return { status: res.status, text: await res.text() };
  const response = decodeReadResponse(snappyUncompress(Buffer.from(await res.arrayBuffer())));
  return {
    status: 200,
    instances: response.results[0].timeseries.map((s) => s.labels.find((l) => l.name === 'instance')?.value),
  };
}

test('remote_read applies Prometheus matcher semantics, missing labels reading as empty', async () => {
  const eq = (name: string, value: string) => ({ type: MatcherType.EQ, name, value });
  expect(await remoteRead([eq('__name__', 'up')])).toEqual({ status: 200, instances: ['a', 'b', 'c'] });
  expect(await remoteRead([eq('__name__', 'up'), eq('zone', '')])).toEqual({ status: 200, instances: ['a', 'c'] });
  expect(await remoteRead([eq('__name__', 'up'), { type: MatcherType.NEQ, name: 'zone', value: '' }])).toEqual({
    status: 200,
    instances: ['b'],
  });
  expect(await remoteRead([eq('__name__', 'up'), { type: MatcherType.RE, name: 'zone', value: 'x|' }])).toEqual({
    status: 200,
    instances: ['a', 'b', 'c'],
  });
  expect(await remoteRead([eq('__name__', 'up'), { type: MatcherType.NRE, name: 'job', value: 'no.*' }])).toEqual({
    status: 200,
    instances: ['c'],
  });
  expect(await remoteRead([eq('__name__', 'up')], t0 + 500, t0 + 2000)).toEqual({ status: 200, instances: ['a'] });
  expect(await remoteRead([eq('job', "node' OR 1=1 --")])).toEqual({ status: 200, instances: [] });
  const bad = await remoteRead([{ type: MatcherType.RE, name: 'job', value: '(?<=x)' }]);
  expect(bad.status).toBe(400);
});

test('fuzzed snappy and protobuf bodies get 4xx, never a crash, and stored data stays as it was', async () => {
  const before = await storedRows(h.pool);
  const seed = encodeWriteRequest({
    timeseries: [
      series('fuzz_metric', { a: 'b', c: 'd' }, [
        [t0 - 86_400_000 * 365 * 30, 1],
        [t0, 2],
      ]),
    ],
  });
  let random = 42;
  const next = () => (random = (Math.imul(random, 1103515245) + 12345) >>> 0);
  const statuses = new Map<number, number>();
  for (let i = 0; i < 300; i++) {
    const mutated = Buffer.from(i % 2 ? seed : snappyCompress(seed));
    for (let k = 0; k <= next() % 4; k++) mutated[next() % mutated.length] = next() & 0xff;
    const body = i % 2 ? snappyCompress(mutated) : mutated;
    const { status } = await remoteWrite(h.url, body);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    expect([204, 400]).toContain(status);
  }
  expect(statuses.get(400)).toBeGreaterThan(0);
  // Fuzzed bodies may be valid requests for new series; what was stored before is untouched.
  const after = new Set(await storedRows(h.pool));
  for (const row of before) expect(after.has(row)).toBe(true);
  expect((await fetch(`${h.url}/-/healthy`)).status).toBe(200);
});

test('503 while the database is unreachable, then stored once it is back', async () => {
  const db: TestDatabase = await createAdapterDatabase('adapter_outage');
  const target = new URL(db.url);
  const socketPath = `${target.searchParams.get('host')}/.s.PGSQL.${target.port || 5432}`;
  const sockets = new Set<Socket>();
  const startProxy = (port = 0) =>
    new Promise<Server>((resolve) => {
      const proxy = createServer((client) => {
        const upstream = connect(socketPath);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => {});
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      proxy.listen(port, '127.0.0.1', () => resolve(proxy));
    });
  let proxy = await startProxy();
  const port = (proxy.address() as { port: number }).port;
  const viaProxy = `postgres://${target.username}:${target.password}@127.0.0.1:${port}${target.pathname}`;
  const adapter = await startAdapter(adapterConfig(viaProxy));
  const url = `http://127.0.0.1:${adapter.port}`;
  try {
    const body = writeBody([series('outage_metric', {}, [[t0, 1]])]);
    proxy.close();
    for (const s of sockets) s.destroy();
    const during = await remoteWrite(url, body);
    expect(during.status).toBe(503);
    expect(during.text).toMatch(/database unavailable, retry later/);
    proxy = await startProxy(port);
    expect((await remoteWrite(url, body)).status).toBe(204);
  } finally {
    await adapter.close();
    proxy.close();
    for (const s of sockets) s.destroy();
    await db.drop();
  }
});

test('a long series comes back whole through remote_read (rows larger than one network chunk)', async () => {
  const start = Date.now() - 20 * 3_600_000;
  const samples: [number, number][] = Array.from({ length: 40_000 }, (_, i) => [start + i * 1000, i * 0.5]);
  expect((await remoteWrite(h.url, writeBody([series('long_series', { k: 'v' }, samples)]))).status).toBe(204);
  const res = await fetch(`${h.url}/api/v1/read`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${READ_TOKEN}`, 'Content-Encoding': 'snappy' },
    body: snappyCompress(
      encodeReadRequest({
        queries: [
          {
            startTimestampMs: start,
            endTimestampMs: Date.now(),
            matchers: [{ type: MatcherType.EQ, name: '__name__', value: 'long_series' }],
          },
        ],
        acceptedResponseTypes: [],
      }),
    ),
  });
  const [got] = decodeReadResponse(snappyUncompress(Buffer.from(await res.arrayBuffer()))).results[0].timeseries;
  expect(got.samples).toHaveLength(40_000);
  expect(got.samples.map((s) => [s.timestamp, s.value])).toEqual(samples);
});
