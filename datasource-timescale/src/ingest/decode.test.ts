import { encodeWriteRequest } from '@nester/common/prompb/write';
import { SeriesCache } from '../storage/series-cache';
import { decodeWrite } from './decode';

const limits = { maxSeries: 100, maxLabels: 10, maxNameLength: 64, maxValueLength: 64, minTime: 0, maxTime: 2e12 };
const body = encodeWriteRequest({
  timeseries: [
    {
      labels: [
        { name: '__name__', value: 'up' },
        { name: 'a', value: '' },
      ],
      samples: [{ value: 1, timestamp: 1000 }],
    },
    {
      labels: [
        { name: '__name__', value: 'up' },
        { name: 'a', value: '' },
      ],
      samples: [{ value: NaN, timestamp: 2000, stale: true }],
    },
    { labels: [{ name: '__name__', value: 'old' }], samples: [{ value: 1, timestamp: -5 }] },
  ],
});

const empty = () => new SeriesCache(10);

test('one entry per distinct label set, empty values dropped, stale markers seen on the raw bytes', () => {
  const decoded = decodeWrite(body, limits, empty());
  expect(decoded.unknown).toEqual([
    { key: expect.objectContaining({ hash: expect.any(Number) }), labels: [{ name: '__name__', value: 'up' }] },
  ]);
  expect(decoded.sampleCount).toBe(2);
  expect(Array.from(decoded.sampleSeries.subarray(0, 2))).toEqual([-1, -1]); // both: unknown[0]
  expect(decoded.staleMarkers).toBe(1);
  expect(decoded.tooOld).toBe(1);
  expect(decoded.body.subarray(decoded.sampleValueAt[1], decoded.sampleValueAt[1] + 8).toString('hex')).toBe(
    '020000000000f07f',
  );
});

test('a cached label key skips label decoding and validation: its samples carry the id', () => {
  const cache = empty();
  cache.set(decodeWrite(body, limits, cache).unknown[0].key, 42);
  const decoded = decodeWrite(body, limits, cache);
  expect(decoded.unknown).toEqual([]);
  expect(Array.from(decoded.sampleSeries.subarray(0, 2))).toEqual([42, 42]);
});

test('label sets laid out in pieces (labels after samples) key the same as contiguous ones', () => {
  const cache = empty();
  cache.set(decodeWrite(body, limits, cache).unknown[0].key, 7);
  // TimeSeries { labels, samples, labels }: the label fields are not contiguous.
  const label = (name: string, value: string) =>
    Buffer.concat([
      Buffer.from([0x0a, name.length + value.length + 4, 0x0a, name.length]),
      Buffer.from(name),
      Buffer.from([0x12, value.length]),
      Buffer.from(value),
    ]);
  const sample = Buffer.from([0x12, 11, 0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x10, 0x64]);
  const series = Buffer.concat([label('__name__', 'up'), sample, label('a', '')]);
  const request = Buffer.concat([Buffer.from([0x0a, series.length]), series]);
  const decoded = decodeWrite(request, limits, cache);
  expect(decoded.unknown).toEqual([]);
  expect(Array.from(decoded.sampleSeries.subarray(0, 1))).toEqual([7]);
});
