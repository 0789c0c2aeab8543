import { decodeWriteRequest, encodeWriteRequest } from './write';
import { STALE_NAN_LE } from './stale';
import { MetricType, type WriteRequest } from './types';
import { ProtoError } from './wire';

const request: WriteRequest = {
  timeseries: [
    {
      labels: [
        { name: '__name__', value: 'node_load1' },
        { name: 'instance', value: 'höst:9100' },
      ],
      samples: [
        { value: 0.25, timestamp: 1_700_000_000_123 },
        { value: NaN, timestamp: 1_700_000_015_123, stale: true },
        { value: -Infinity, timestamp: -5 },
      ],
    },
    { labels: [{ name: '__name__', value: 'x'.repeat(300) }], samples: [{ value: 1e300, timestamp: 0 }] },
  ],
  metadata: [{ type: MetricType.GAUGE, metricFamilyName: 'node_load1', help: '1m load average.', unit: '' }],
};

test('round-trips series, samples (negative timestamps, infinities, stale markers) and metadata', () => {
  expect(decodeWriteRequest(encodeWriteRequest(request))).toEqual(request);
});

test('writes the stale marker bit-exact and reads it back only from those exact bits', () => {
  const body = encodeWriteRequest(request);
  expect(body.indexOf(STALE_NAN_LE)).toBeGreaterThan(0);
  const quietNaN = Buffer.from(body);
  quietNaN[quietNaN.indexOf(STALE_NAN_LE) + 6] = 0xf8; // 0x7ff8000000000002: a NaN, but not stale
  const decoded = decodeWriteRequest(quietNaN).timeseries[0].samples[1];
  expect(decoded.stale).toBeUndefined();
  expect(decoded.value).toBeNaN();
});

test('matches the bytes protoc would write for a small request', () => {
  const bytes = encodeWriteRequest({
    timeseries: [{ labels: [{ name: 'a', value: 'b' }], samples: [{ value: 1, timestamp: 300 }] }],
  });
  // TimeSeries{labels{name:"a",value:"b"}, samples{value:1.0,timestamp:300}}
  expect(bytes.toString('hex')).toBe('0a160a060a0161120162120c09000000000000f03f10ac02');
});

test('skips unknown fields, exemplars and histograms', () => {
  const base = encodeWriteRequest({ timeseries: [{ labels: [{ name: 'a', value: 'b' }], samples: [] }] });
  // append a field 9 varint at top level and a field 4 (histogram) inside a new TimeSeries
  const extra = Buffer.from([0x48, 0x01, 0x0a, 0x04, 0x22, 0x02, 0x08, 0x01]);
  const decoded = decodeWriteRequest(Buffer.concat([base, extra]));
  expect(decoded.timeseries).toEqual([
    { labels: [{ name: 'a', value: 'b' }], samples: [] },
    { labels: [], samples: [] },
  ]);
});

test('truncated or mistyped bodies fail with ProtoError', () => {
  const body = encodeWriteRequest(request);
  for (let cut = 1; cut < body.length; cut += 7) {
    try {
      decodeWriteRequest(body.subarray(0, cut));
    } catch (err) {
      expect(err).toBeInstanceOf(ProtoError);
    }
  }
  expect(() => decodeWriteRequest(Buffer.from([0x0a, 0x05, 0x0a]))).toThrow(ProtoError);
  expect(() => decodeWriteRequest(Buffer.from([0x0a, 0x02, 0x08, 0x01]))).toThrow(/TimeSeries.labels has wire type 0/);
});
