// prometheus.WriteRequest, the remote_write 1.0 body (before snappy):
//   WriteRequest { repeated TimeSeries timeseries = 1; reserved 2; repeated MetricMetadata metadata = 3; }
//   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; exemplars = 3; histograms = 4; }
//   Label        { string name = 1; string value = 2; }
//   Sample       { double value = 1; int64 timestamp = 2; }
//   MetricMetadata { type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }

import { isStaleMarkerAt, STALE_NAN_LE } from './stale';
import type { Label, MetricMetadata, Sample, TimeSeries, WriteRequest } from './types';
import { ProtoReader, ProtoWriter, WIRE_BYTES, WIRE_FIXED64, WIRE_VARINT } from './wire';

export function encodeWriteRequest(request: WriteRequest): Buffer {
  const w = new ProtoWriter(64 + request.timeseries.length * 128);
  for (const series of request.timeseries) w.message(1, () => writeTimeSeries(w, series));
  for (const meta of request.metadata ?? []) {
    w.message(3, () => {
      if (meta.type) {
        w.tag(1, WIRE_VARINT);
        w.uint32(meta.type);
      }
      if (meta.metricFamilyName) w.string(2, meta.metricFamilyName);
      if (meta.help) w.string(4, meta.help);
      if (meta.unit) w.string(5, meta.unit);
    });
  }
  return w.finish();
}

/** Writes one TimeSeries' fields (shared with ReadResponse, which nests the same message). */
export function writeTimeSeries(w: ProtoWriter, series: TimeSeries): void {
  for (const label of series.labels) {
    w.message(1, () => {
      w.string(1, label.name);
      w.string(2, label.value);
    });
  }
  for (const sample of series.samples) writeSample(w, sample);
}

function writeSample(w: ProtoWriter, sample: Sample): void {
  w.message(2, () => {
    w.tag(1, WIRE_FIXED64);
    if (sample.stale) w.fixed64Bytes(STALE_NAN_LE);
    else w.double(sample.value);
    if (sample.timestamp !== 0) {
      w.tag(2, WIRE_VARINT);
      w.int64(sample.timestamp);
    }
  });
}

/** Decodes an (already decompressed) WriteRequest. Exemplars and native histograms are skipped. */
export function decodeWriteRequest(body: Buffer): WriteRequest {
  const r = new ProtoReader(body);
  const timeseries: TimeSeries[] = [];
  const metadata: MetricMetadata[] = [];
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE_BYTES) timeseries.push(readTimeSeries(r, ...r.bytesRange()));
    else if (field === 3 && wire === WIRE_BYTES) metadata.push(readMetadata(r, ...r.bytesRange()));
    else r.skip(wire);
  }
  return metadata.length ? { timeseries, metadata } : { timeseries };
}

export function readTimeSeries(parent: ProtoReader, start: number, end: number): TimeSeries {
  const r = new ProtoReader(parent.buf, start, end);
  const labels: Label[] = [];
  const samples: Sample[] = [];
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1) {
      r.expect(WIRE_BYTES, wire, 'TimeSeries.labels');
      labels.push(readLabel(r, ...r.bytesRange()));
    } else if (field === 2) {
      r.expect(WIRE_BYTES, wire, 'TimeSeries.samples');
      samples.push(readSample(r, ...r.bytesRange()));
    } else r.skip(wire);
  }
  return { labels, samples };
}

export function readLabel(parent: ProtoReader, start: number, end: number): Label {
  const r = new ProtoReader(parent.buf, start, end);
  let name = '';
  let value = '';
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1) {
      r.expect(WIRE_BYTES, wire, 'Label.name');
      name = r.string();
    } else if (field === 2) {
      r.expect(WIRE_BYTES, wire, 'Label.value');
      value = r.string();
    } else r.skip(wire);
  }
  return { name, value };
}

function readSample(parent: ProtoReader, start: number, end: number): Sample {
  const r = new ProtoReader(parent.buf, start, end);
  let value = 0;
  let timestamp = 0;
  let stale = false;
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1) {
      r.expect(WIRE_FIXED64, wire, 'Sample.value');
      const at = r.fixed64Offset();
      stale = isStaleMarkerAt(r.buf, at);
      value = stale ? NaN : r.buf.readDoubleLE(at);
    } else if (field === 2) {
      r.expect(WIRE_VARINT, wire, 'Sample.timestamp');
      timestamp = r.int64();
    } else r.skip(wire);
  }
  return stale ? { value, timestamp, stale } : { value, timestamp };
}

function readMetadata(parent: ProtoReader, start: number, end: number): MetricMetadata {
  const r = new ProtoReader(parent.buf, start, end);
  const meta: MetricMetadata = { type: 0, metricFamilyName: '', help: '', unit: '' };
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE_VARINT) meta.type = r.uint32();
    else if (field === 2 && wire === WIRE_BYTES) meta.metricFamilyName = r.string();
    else if (field === 4 && wire === WIRE_BYTES) meta.help = r.string();
    else if (field === 5 && wire === WIRE_BYTES) meta.unit = r.string();
    else r.skip(wire);
  }
  return meta;
}
