import { decodeReadRequest, decodeReadResponse, encodeReadRequest, encodeReadResponse } from './read';
import { MatcherType, ReadResponseType, type ReadRequest, type ReadResponse } from './types';

test('round-trips a ReadRequest with matchers and hints', () => {
  const request: ReadRequest = {
    queries: [
      {
        startTimestampMs: 1_700_000_000_000,
        endTimestampMs: 1_700_000_300_000,
        matchers: [
          { type: MatcherType.EQ, name: '__name__', value: 'up' },
          { type: MatcherType.NRE, name: 'job', value: 'node|x' },
        ],
        hints: { stepMs: 15000, func: 'rate', startMs: 1, endMs: 2, grouping: ['job'], by: true, rangeMs: 300000 },
      },
    ],
    acceptedResponseTypes: [ReadResponseType.SAMPLES],
  };
  expect(decodeReadRequest(encodeReadRequest(request))).toEqual(request);
});

test('reads packed accepted_response_types as proto3 encoders write them', () => {
  const packed = Buffer.from([0x12, 0x02, 0x01, 0x00]);
  expect(decodeReadRequest(packed).acceptedResponseTypes).toEqual([1, 0]);
});

test('round-trips a ReadResponse with stale markers', () => {
  const response: ReadResponse = {
    results: [
      {
        timeseries: [
          {
            labels: [{ name: '__name__', value: 'up' }],
            samples: [
              { value: 1, timestamp: 10 },
              { value: NaN, timestamp: 20, stale: true },
            ],
          },
        ],
      },
      { timeseries: [] },
    ],
  };
  expect(decodeReadResponse(encodeReadResponse(response))).toEqual(response);
});
