// The receiver's decoder for WriteRequest bodies: one pass over the protobuf that keys each
// series by the raw bytes of its labels (so known series need no string decoding), validates
// label sets the cache has not seen, and lays samples out in columns for COPY. Stale markers
// are recognised here, on the raw 8 bytes, and their bytes are later copied as they are.

import type { Label } from '@nester/common/prompb/types';
import { ProtoError, ProtoReader, WIRE_BYTES, WIRE_FIXED64, WIRE_VARINT } from '@nester/common/prompb/wire';
import { isUtf8 } from 'node:buffer';
import { describeLabels, labelSetProblem, type LabelLimits } from './labels';

export interface DecodeLimits extends LabelLimits {
  maxSeries: number;
  /** Samples older than this (ms) are past retention: dropped quietly. */
  minTime: number;
  /** Samples newer than this (ms) are refused. */
  maxTime: number;
}

export interface DecodedSeries {
  key: string;
  /** The series id, when the cache knew the label set. */
  id?: number;
  /** The validated labels, when it did not. */
  labels?: Label[];
}

export interface DecodedWrite {
  series: DecodedSeries[];
  /** Per sample: index into `series`, timestamp (ms), offset of the value's 8 LE bytes in `body`. */
  sampleSeries: Int32Array;
  sampleTime: Float64Array;
  sampleValueAt: Int32Array;
  sampleCount: number;
  staleMarkers: number;
  tooOld: number;
  /** Reasons series or samples were refused (a 400 after the rest is stored). */
  problems: string[];
  rejectedSamples: number;
  body: Buffer;
}

/**
 * Decodes `body`. `lookup(key)` gives the cached series id of a label key (a cached key was
 * validated when first seen); only unknown label sets are decoded to strings and checked.
 */
export function decodeWrite(
  body: Buffer,
  limits: DecodeLimits,
  lookup: (key: string) => number | undefined,
): DecodedWrite {
  const estimate = Math.max(16, body.length >> 4);
  const out: DecodedWrite = {
    series: [],
    sampleSeries: new Int32Array(estimate),
    sampleTime: new Float64Array(estimate),
    sampleValueAt: new Int32Array(estimate),
    sampleCount: 0,
    staleMarkers: 0,
    tooOld: 0,
    problems: [],
    rejectedSamples: 0,
    body,
  };
  const indexByKey = new Map<string, number>();
  const r = new ProtoReader(body);
  let timeseries = 0;
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field !== 1 || wire !== WIRE_BYTES) {
      r.skip(wire); // metadata (3) and anything newer: nothing to store
      continue;
    }
    if (++timeseries > limits.maxSeries) {
      throw new ProtoError(`more than ${limits.maxSeries} time series in one request; send smaller batches`);
    }
    decodeTimeSeries(r, ...r.bytesRange(), out, indexByKey, limits, lookup);
  }
  return out;
}

function decodeTimeSeries(
  parent: ProtoReader,
  start: number,
  end: number,
  out: DecodedWrite,
  indexByKey: Map<string, number>,
  limits: DecodeLimits,
  lookup: (key: string) => number | undefined,
): void {
  const { body } = out;
  const r = new ProtoReader(body, start, end);
  let key = '';
  const labelRanges: number[] = [];
  const samplesFrom = out.sampleCount;
  let histograms = 0;
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1) {
      r.expect(WIRE_BYTES, wire, 'TimeSeries.labels');
      const fieldStart = r.pos;
      const [labelStart, labelEnd] = r.bytesRange();
      key += body.toString('latin1', fieldStart, labelEnd);
      labelRanges.push(labelStart, labelEnd);
    } else if (field === 2) {
      r.expect(WIRE_BYTES, wire, 'TimeSeries.samples');
      readSample(r, ...r.bytesRange(), out, limits);
    } else if (field === 4 && wire === WIRE_BYTES) {
      histograms++;
      r.skip(wire);
    } else r.skip(wire); // exemplars (3) are not stored
  }
  const sampleCount = out.sampleCount - samplesFrom;
  if (histograms) {
    out.problems.push('native histograms are not supported; their samples were not stored');
    out.rejectedSamples += histograms;
  }
  if (sampleCount === 0) return;

  let index = indexByKey.get(key);
  if (index === undefined) {
    let labels: Label[] | undefined;
    const id = lookup(key);
    if (id === undefined) {
      labels = [];
      for (let i = 0; i < labelRanges.length; i += 2) {
        const label = readCheckedLabel(body, labelRanges[i], labelRanges[i + 1]);
        if (!label) return reject(out, samplesFrom, 'label name or value is not valid UTF-8');
        if (label.value !== '') labels.push(label); // an empty value means "no such label"
      }
      const problem = labelSetProblem(labels, limits);
      if (problem) return reject(out, samplesFrom, `${problem} in series ${describeLabels(labels)}`);
    }
    index = out.series.length;
    out.series.push(id === undefined ? { key, labels } : { key, id });
    indexByKey.set(key, index);
  }
  out.sampleSeries.fill(index, samplesFrom, out.sampleCount);
}

/** A Label message, or undefined when a string in it is not valid UTF-8. */
function readCheckedLabel(body: Buffer, start: number, end: number): Label | undefined {
  const r = new ProtoReader(body, start, end);
  const label = { name: '', value: '' };
  while (!r.done()) {
    const { field, wire } = r.tag();
    if ((field === 1 || field === 2) && wire === WIRE_BYTES) {
      const [from, to] = r.bytesRange();
      if (!isUtf8(body.subarray(from, to))) return undefined;
      label[field === 1 ? 'name' : 'value'] = body.toString('utf8', from, to);
    } else if (field === 1 || field === 2) {
      throw new ProtoError(`Label.${field === 1 ? 'name' : 'value'} has wire type ${wire}, expected 2`);
    } else r.skip(wire);
  }
  return label;
}

function reject(out: DecodedWrite, samplesFrom: number, problem: string): void {
  out.problems.push(problem);
  out.rejectedSamples += out.sampleCount - samplesFrom;
  out.sampleCount = samplesFrom;
}

function readSample(parent: ProtoReader, start: number, end: number, out: DecodedWrite, limits: DecodeLimits): void {
  const r = new ProtoReader(parent.buf, start, end);
  let valueAt = -1;
  let timestamp = 0;
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1) {
      r.expect(WIRE_FIXED64, wire, 'Sample.value');
      valueAt = r.fixed64Offset();
    } else if (field === 2) {
      r.expect(WIRE_VARINT, wire, 'Sample.timestamp');
      timestamp = r.int64();
    } else r.skip(wire);
  }
  if (timestamp < limits.minTime) {
    out.tooOld++;
    return;
  }
  if (timestamp > limits.maxTime) {
    out.problems.push(`sample timestamp ${new Date(timestamp).toISOString()} is too far in the future`);
    out.rejectedSamples++;
    return;
  }
  if (out.sampleCount === out.sampleTime.length) grow(out);
  const i = out.sampleCount++;
  out.sampleTime[i] = timestamp;
  // A sample without field 1 has the value 0; point at a shared zero (offset -1).
  out.sampleValueAt[i] = valueAt;
  if (valueAt >= 0 && out.body[valueAt + 7] === 0x7f && out.body[valueAt] === 0x02 && isStale(out.body, valueAt)) {
    out.staleMarkers++;
  }
}

function isStale(body: Buffer, at: number): boolean {
  return body.readUInt32LE(at) === 2 && body.readUInt32LE(at + 4) === 0x7ff00000;
}

function grow(out: DecodedWrite): void {
  const size = out.sampleTime.length * 2;
  const series = new Int32Array(size);
  series.set(out.sampleSeries);
  const time = new Float64Array(size);
  time.set(out.sampleTime);
  const valueAt = new Int32Array(size);
  valueAt.set(out.sampleValueAt);
  out.sampleSeries = series;
  out.sampleTime = time;
  out.sampleValueAt = valueAt;
}
