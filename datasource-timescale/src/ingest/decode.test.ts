import { encodeWriteRequest } from '@nester/common/prompb/write';
import { sameKey } from '../storage/series-cache';
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

test('one entry per distinct label set, empty values dropped, stale markers seen on the raw bytes', () => {
  const decoded = decodeWrite(body, limits, () => undefined);
  expect(decoded.series).toEqual([
    { key: expect.objectContaining({ hash: expect.any(Number) }), labels: [{ name: '__name__', value: 'up' }] },
  ]);
  expect(decoded.sampleCount).toBe(2);
  expect(Array.from(decoded.sampleSeries.subarray(0, 2))).toEqual([0, 0]);
  expect(decoded.staleMarkers).toBe(1);
  expect(decoded.tooOld).toBe(1);
  expect(decoded.body.subarray(decoded.sampleValueAt[1], decoded.sampleValueAt[1] + 8).toString('hex')).toBe(
    '020000000000f07f',
  );
});

test('a cached label key skips label decoding and validation', () => {
  const key = decodeWrite(body, limits, () => undefined).series[0].key;
  const decoded = decodeWrite(body, limits, (k) => (k.hash === key.hash && sameKey(k, key) ? 42 : undefined));
  expect(decoded.series[0]).toEqual({ key, id: 42 });
});
