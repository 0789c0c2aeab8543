import { snappyCompress } from '@nester/common/prompb/snappy';
import { encodeWriteRequest } from '@nester/common/prompb/write';
import { remoteWrite, series, startHarness, storedRows, writeBody, type Harness } from './harness';

let h: Harness;
beforeAll(async () => (h = await startHarness('adapter_write')));
afterAll(() => h.stop());

const now = Date.now() - 60_000;

test('stores a batch, answers 204 only after commit, and a resent batch changes nothing', async () => {
  const body = writeBody([
    series('node_load1', { instance: 'a:9100', job: 'node' }, [
      [now, 0.5],
      [now + 15_000, 0.75],
    ]),
    series('node_load1', { instance: 'b:9100', job: 'node' }, [[now, 1.5]]),
  ]);
  const first = await remoteWrite(h.url, body);
  expect(first).toEqual({ status: 204, text: '' });
  const stored = await storedRows(h.pool);
  expect(stored).toHaveLength(3);
  // Senders retry whole batches: the same request again is accepted and stores nothing new.
  expect((await remoteWrite(h.url, body)).status).toBe(204);
  expect(await storedRows(h.pool)).toEqual(stored);
  // A batch overlapping stored samples keeps the first values and adds the new ones.
  const overlap = writeBody([
    series('node_load1', { instance: 'a:9100', job: 'node' }, [
      [now + 15_000, 99],
      [now + 30_000, 1],
    ]),
  ]);
  expect((await remoteWrite(h.url, overlap)).status).toBe(204);
  const after = await storedRows(h.pool);
  expect(after).toHaveLength(4);
  expect(after.filter((row) => row.endsWith(' 99'))).toEqual([]);
});

test('keeps the stale marker bit-exact', async () => {
  const body = snappyCompress(
    encodeWriteRequest({
      timeseries: [
        {
          labels: [
            { name: '__name__', value: 'up' },
            { name: 'job', value: 'stale-test' },
          ],
          samples: [
            { value: 1, timestamp: now },
            { value: NaN, timestamp: now + 1000, stale: true },
            { value: NaN, timestamp: now + 2000 }, // an ordinary NaN stays an ordinary NaN
          ],
        },
      ],
    }),
  );
  expect((await remoteWrite(h.url, body)).status).toBe(204);
  const { rows } = await h.pool.query(
    `SELECT encode(float8send(value), 'hex') AS bits, is_stale_marker(value) AS stale FROM samples
       JOIN series ON series.id = series_id WHERE metric_name = 'up' ORDER BY time`,
  );
  expect(rows).toEqual([
    { bits: '3ff0000000000000', stale: false },
    { bits: '7ff0000000000002', stale: true },
    { bits: '7ff8000000000000', stale: false },
  ]);
});

test('metadata-only requests (Prometheus sends them apart) are accepted and store nothing', async () => {
  const before = await storedRows(h.pool);
  const body = snappyCompress(
    encodeWriteRequest({
      timeseries: [],
      metadata: [{ type: 1, metricFamilyName: 'node_cpu_seconds_total', help: 'Seconds the CPUs spent.', unit: '' }],
    }),
  );
  expect((await remoteWrite(h.url, body)).status).toBe(204);
  expect(await storedRows(h.pool)).toEqual(before);
});

test('refuses invalid series with 400 and a reason, storing the valid ones of the request', async () => {
  const good = series('valid_metric', { a: '1' }, [[now, 1]]);
  const cases: [string, ReturnType<typeof series>, RegExp][] = [
    [
      'unsorted',
      {
        ...series('m', {}, [[now, 1]]),
        labels: [
          { name: 'z', value: '1' },
          { name: '__name__', value: 'm' },
          { name: 'a', value: '2' },
        ],
      },
      /not sorted/,
    ],
    [
      'duplicate',
      {
        ...series('m', {}, [[now, 1]]),
        labels: [
          { name: '__name__', value: 'm' },
          { name: 'a', value: '1' },
          { name: 'a', value: '2' },
        ],
      },
      /duplicate label name/,
    ],
    ['no name', { labels: [{ name: 'job', value: 'x' }], samples: [{ value: 1, timestamp: now }] }, /no __name__/],
    ['bad metric name', series('1bad-name', {}, [[now, 1]]), /invalid metric name/],
    ['bad label name', series('m', { 'bad-label': 'x' }, [[now, 1]]), /invalid label name/],
    ['huge value', series('m', { big: 'x'.repeat(100_000) }, [[now, 1]]), /longer than 2048 bytes/],
    ['NUL', series('m', { a: 'nul\0here' }, [[now, 1]]), /NUL/],
    [
      'too many labels',
      series('m', Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`l${i}`, 'v'])), [[now, 1]]),
      /more than the limit of 30/,
    ],
    ['future', series('m', {}, [[Date.now() + 86_400_000, 1]]), /too far in the future/],
  ];
  for (const [name, bad, reason] of cases) {
    const res = await remoteWrite(h.url, writeBody([good, bad]));
    expect({ name, status: res.status }).toEqual({ name, status: 400 });
    expect(res.text).toMatch(reason);
    expect(res.text).toMatch(/stored 1 samples; refused 1 samples/);
  }
  const names = await h.pool.query('SELECT DISTINCT metric_name FROM series ORDER BY 1');
  expect(names.rows.map((r) => r.metric_name)).toEqual(['node_load1', 'up', 'valid_metric']);
});

/** A protobuf varint. */
function varint(n: number): number[] {
  const out: number[] = [];
  for (; n > 0x7f; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
  return [...out, n];
}

/**
 * A WriteRequest whose second series carries a native histogram (TimeSeries field 4) as Prometheus
 * sends one with `send_native_histograms`: count 5, sum 3.5, schema 3, zero threshold, one positive
 * span and its deltas, the timestamp; no float samples.
 */
function withNativeHistogram(good: ReturnType<typeof series>, labels: ReturnType<typeof series>['labels']): Buffer {
  const f64 = (v: number) => [...new Uint8Array(new Float64Array([v]).buffer)];
  const span = [0x08, 0x00, 0x10, 0x02]; // BucketSpan{offset: 0, length: 2}
  const histogram = [
    ...[0x08, 5], // count_int
    ...[0x19, ...f64(3.5)], // sum
    ...[0x20, 6], // schema 3 (zigzag)
    ...[0x29, ...f64(1e-128)], // zero_threshold
    ...[0x38, 1], // zero_count_int
    ...[0x5a, span.length, ...span], // positive_spans
    ...[0x62, 2, 4, 2], // positive_deltas 2, 1 (zigzag), packed
    ...[0x78, ...varint(now)], // timestamp
  ];
  const plain = encodeWriteRequest({ timeseries: [{ labels, samples: [] }] });
  // plain = 0x0a <length> <TimeSeries>; the histogram joins the TimeSeries as field 4.
  const lengthBytes = varint(plain.length - 1).length;
  const ts = [...plain.subarray(1 + lengthBytes), 0x22, ...varint(histogram.length), ...histogram];
  const second = Buffer.from([0x0a, ...varint(ts.length), ...ts]);
  return snappyCompress(Buffer.concat([encodeWriteRequest({ timeseries: [good] }), second]));
}

test('a native histogram is refused with 400 saying so; the float series of the request are stored', async () => {
  const good = series('hist_neighbour', { a: '1' }, [[now, 1]]);
  const res = await remoteWrite(
    h.url,
    withNativeHistogram(good, series('rpc_native_seconds', { job: 'x' }, []).labels),
  );
  expect(res.status).toBe(400);
  expect(res.text).toBe(
    'stored 1 samples; refused 1 samples: native histograms are not supported; their samples were not stored\n',
  );
  const names = await h.pool.query(
    "SELECT metric_name FROM series WHERE metric_name IN ('hist_neighbour', 'rpc_native_seconds')",
  );
  expect(names.rows.map((r) => r.metric_name)).toEqual(['hist_neighbour']);
});

test('answers 400 for bodies that are not snappy or not protobuf, storing nothing', async () => {
  const before = await storedRows(h.pool);
  const bad: [Buffer, RegExp][] = [
    [Buffer.from('not snappy at all'), /not snappy/],
    [Buffer.from([0xff, 0xff, 0xff]), /not snappy/],
    [snappyCompress(Buffer.from([0x0a, 0x05, 0x0a, 0x02])), /not a valid prometheus.WriteRequest/],
    [snappyCompress(Buffer.from([0x0f, 0x01])), /not a valid prometheus.WriteRequest/],
  ];
  for (const [body, reason] of bad) {
    const res = await remoteWrite(h.url, body);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(reason);
  }
  expect(await storedRows(h.pool)).toEqual(before);
});

test('413 over the body limits, 415 for other encodings and remote write 2.0, 401 without a token', async () => {
  expect((await remoteWrite(h.url, Buffer.alloc(2 << 20))).status).toBe(413);
  const bomb = snappyCompress(Buffer.alloc(9 << 20));
  expect((await remoteWrite(h.url, bomb)).status).toBe(413);
  const body = writeBody([series('m', {}, [[now, 1]])]);
  expect((await remoteWrite(h.url, body, { 'Content-Encoding': 'gzip' })).status).toBe(415);
  const v2 = await remoteWrite(h.url, body, {
    'Content-Type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request',
  });
  expect(v2.status).toBe(415);
  expect(v2.text).toMatch(/not supported yet/);
  expect((await remoteWrite(h.url, body, { Authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
  expect((await remoteWrite(h.url, body, { Authorization: '' })).status).toBe(401);
  // A read token does not allow writing.
  expect((await remoteWrite(h.url, body, { Authorization: 'Bearer read-token-0123456789abcdef' })).status).toBe(401);
});
