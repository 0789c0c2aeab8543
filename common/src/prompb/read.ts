// Remote read (prompb/remote.proto), the SAMPLES response type:
//   ReadRequest  { repeated Query queries = 1; repeated ResponseType accepted_response_types = 2; }
//   Query        { int64 start_timestamp_ms = 1; int64 end_timestamp_ms = 2;
//                  repeated LabelMatcher matchers = 3; ReadHints hints = 4; }
//   LabelMatcher { Type type = 1; string name = 2; string value = 3; }
//   ReadHints    { step_ms 1; func 2; start_ms 3; end_ms 4; repeated grouping 5; by 6; range_ms 7; }
//   ReadResponse { repeated QueryResult results = 1; }   QueryResult { repeated TimeSeries timeseries = 1; }

import type { LabelMatcher, Query, ReadHints, ReadRequest, ReadResponse, TimeSeries } from './types';
import { ProtoReader, ProtoWriter, WIRE_BYTES, WIRE_VARINT } from './wire';
import { readTimeSeries, writeTimeSeries } from './write';

export function encodeReadRequest(request: ReadRequest): Buffer {
  const w = new ProtoWriter();
  for (const query of request.queries) {
    w.message(1, () => {
      w.tag(1, WIRE_VARINT);
      w.int64(query.startTimestampMs);
      w.tag(2, WIRE_VARINT);
      w.int64(query.endTimestampMs);
      for (const m of query.matchers) {
        w.message(3, () => {
          if (m.type) {
            w.tag(1, WIRE_VARINT);
            w.uint32(m.type);
          }
          w.string(2, m.name);
          w.string(3, m.value);
        });
      }
      const hints = query.hints;
      if (hints) {
        w.message(4, () => {
          for (const [field, value] of [
            [1, hints.stepMs],
            [3, hints.startMs],
            [4, hints.endMs],
            [7, hints.rangeMs],
          ] as const) {
            w.tag(field, WIRE_VARINT);
            w.int64(value);
          }
          if (hints.func) w.string(2, hints.func);
          for (const name of hints.grouping) w.string(5, name);
          if (hints.by) {
            w.tag(6, WIRE_VARINT);
            w.uint32(1);
          }
        });
      }
    });
  }
  for (const type of request.acceptedResponseTypes) {
    w.tag(2, WIRE_VARINT);
    w.uint32(type);
  }
  return w.finish();
}

export function decodeReadRequest(body: Buffer): ReadRequest {
  const r = new ProtoReader(body);
  const request: ReadRequest = { queries: [], acceptedResponseTypes: [] };
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE_BYTES) request.queries.push(readQuery(r, ...r.bytesRange()));
    else if (field === 2 && wire === WIRE_VARINT) request.acceptedResponseTypes.push(r.uint32());
    else if (field === 2 && wire === WIRE_BYTES) {
      // Packed repeated enum, as proto3 encoders write it.
      const [start, end] = r.bytesRange();
      const packed = new ProtoReader(body, start, end);
      while (!packed.done()) request.acceptedResponseTypes.push(packed.uint32());
    } else r.skip(wire);
  }
  return request;
}

function readQuery(parent: ProtoReader, start: number, end: number): Query {
  const r = new ProtoReader(parent.buf, start, end);
  const query: Query = { startTimestampMs: 0, endTimestampMs: 0, matchers: [] };
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE_VARINT) query.startTimestampMs = r.int64Saturating();
    else if (field === 2 && wire === WIRE_VARINT) query.endTimestampMs = r.int64Saturating();
    else if (field === 3 && wire === WIRE_BYTES) query.matchers.push(readMatcher(r, ...r.bytesRange()));
    else if (field === 4 && wire === WIRE_BYTES) query.hints = readHints(r, ...r.bytesRange());
    else r.skip(wire);
  }
  return query;
}

function readMatcher(parent: ProtoReader, start: number, end: number): LabelMatcher {
  const r = new ProtoReader(parent.buf, start, end);
  const matcher: LabelMatcher = { type: 0, name: '', value: '' };
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE_VARINT) matcher.type = r.uint32();
    else if (field === 2 && wire === WIRE_BYTES) matcher.name = r.string();
    else if (field === 3 && wire === WIRE_BYTES) matcher.value = r.string();
    else r.skip(wire);
  }
  return matcher;
}

function readHints(parent: ProtoReader, start: number, end: number): ReadHints {
  const r = new ProtoReader(parent.buf, start, end);
  const hints: ReadHints = { stepMs: 0, func: '', startMs: 0, endMs: 0, grouping: [], by: false, rangeMs: 0 };
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE_VARINT) hints.stepMs = r.int64();
    else if (field === 2 && wire === WIRE_BYTES) hints.func = r.string();
    else if (field === 3 && wire === WIRE_VARINT) hints.startMs = r.int64Saturating();
    else if (field === 4 && wire === WIRE_VARINT) hints.endMs = r.int64Saturating();
    else if (field === 5 && wire === WIRE_BYTES) hints.grouping.push(r.string());
    else if (field === 6 && wire === WIRE_VARINT) hints.by = r.uint32() !== 0;
    else if (field === 7 && wire === WIRE_VARINT) hints.rangeMs = r.int64();
    else r.skip(wire);
  }
  return hints;
}

export function encodeReadResponse(response: ReadResponse): Buffer {
  const w = new ProtoWriter();
  for (const result of response.results) {
    w.message(1, () => {
      for (const series of result.timeseries) w.message(1, () => writeTimeSeries(w, series));
    });
  }
  return w.finish();
}

export function decodeReadResponse(body: Buffer): ReadResponse {
  const r = new ProtoReader(body);
  const response: ReadResponse = { results: [] };
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field !== 1 || wire !== WIRE_BYTES) {
      r.skip(wire);
      continue;
    }
    const [start, end] = r.bytesRange();
    const inner = new ProtoReader(body, start, end);
    const timeseries: TimeSeries[] = [];
    while (!inner.done()) {
      const tag = inner.tag();
      if (tag.field === 1 && tag.wire === WIRE_BYTES) timeseries.push(readTimeSeries(inner, ...inner.bytesRange()));
      else inner.skip(tag.wire);
    }
    response.results.push({ timeseries });
  }
  return response;
}
