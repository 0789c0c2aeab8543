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

test("clamps read ranges near math.MinInt64/MaxInt64 (Prometheus' MinTime and MaxTime) to ±2^53", () => {
  const varint = (value: bigint) => {
    const bytes = [];
    for (let x = BigInt.asUintN(64, value); ; x >>= 7n) {
      if (x < 0x80n) return [...bytes, Number(x)];
      bytes.push(Number(x & 0x7fn) | 0x80);
    }
  };
  // Query { start_timestamp_ms = MinTime, end_timestamp_ms = MaxTime } in milliseconds, as Prometheus' API names them.
  const query = [0x08, ...varint(-9223309901257974000n), 0x10, ...varint(9223309901257974000n)];
  const [decoded] = decodeReadRequest(Buffer.from([0x0a, query.length, ...query])).queries;
  expect(decoded.startTimestampMs).toBe(-Number.MAX_SAFE_INTEGER);
  expect(decoded.endTimestampMs).toBe(Number.MAX_SAFE_INTEGER);
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
