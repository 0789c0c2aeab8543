// The receiver's decoder for WriteRequest bodies: one pass over the protobuf that keys each
// series by the raw bytes of its labels (so known series need no string decoding), validates
// label sets the cache has not seen, and lays samples out in columns for COPY. Stale markers
// are recognised here, on the raw 8 bytes, and their bytes are later copied as they are.

import type { Label } from '@nester/common/prompb/types';
import { ProtoError, ProtoReader, WIRE_BYTES, WIRE_FIXED64, WIRE_VARINT } from '@nester/common/prompb/wire';
import { isUtf8 } from 'node:buffer';
import { hashBytes, type LabelKey, sameKey, viewOf } from '../storage/series-cache';
import { describeLabels, labelSetProblem, type LabelLimits } from './labels';
import { readMetadata, type MetadataEntry } from './metadata';

export interface DecodeLimits extends LabelLimits {
  maxSeries: number;
  /** Samples older than this (ms) are past retention: dropped quietly. */
  minTime: number;
  /** Samples newer than this (ms) are refused. */
  maxTime: number;
}

/** Where known series' ids come from: the id of the label key `key[start, end)` with hash `hash`, or -1. */
export interface SeriesLookup {
  lookup(key: DataView, start: number, end: number, hash: number): number;
}

/** A label set the cache did not know, validated, with its key (for caching its id once resolved). */
export interface UnknownSeries {
  key: LabelKey;
  labels: Label[];
}

export interface DecodedWrite {
  /** Label sets of the request the cache did not know, each once. */
  unknown: UnknownSeries[];
  /**
   * Per sample: the series id, or `-1 - i` for `unknown[i]`; timestamp (ms); offset of the
   * value's 8 LE bytes in `body` (-1: no value field, i.e. 0). Known series need no entry of
   * their own: the common case (every series cached) allocates nothing per series.
   */
  sampleSeries: Float64Array;
  sampleTime: Float64Array;
  sampleValueAt: Int32Array;
  sampleCount: number;
  staleMarkers: number;
  tooOld: number;
  /** MetricMetadata entries that can be stored (invalid ones are among `problems`). */
  metadata: MetadataEntry[];
  /** Reasons series or samples were refused (a 400 after the rest is stored); the first few only. */
  problems: string[];
  problemCount: number;
  rejectedSamples: number;
  body: Buffer;
}

/**
 * Decodes `body`. `lookup(key)` gives the cached series id of a label key (a cached key was
 * validated when first seen); only unknown label sets are decoded to strings and checked.
 */
export function decodeWrite(body: Buffer, limits: DecodeLimits, cache: SeriesLookup): DecodedWrite {
  const estimate = Math.max(16, body.length >> 4);
  const out: DecodedWrite = {
    unknown: [],
    sampleSeries: new Float64Array(estimate),
    sampleTime: new Float64Array(estimate),
    sampleValueAt: new Int32Array(estimate),
    sampleCount: 0,
    staleMarkers: 0,
    tooOld: 0,
    metadata: [],
    problems: [],
    problemCount: 0,
    rejectedSamples: 0,
    body,
  };
  const unknownByHash = new Map<number, number[]>(); // label hash -> indexes into out.unknown
  const view = viewOf(body);
  const r = new ProtoReader(body);
  let timeseries = 0;
  let metadata = 0;
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 3 && wire === WIRE_BYTES) {
      if (++metadata > limits.maxSeries) {
        throw new ProtoError(`more than ${limits.maxSeries} metadata entries in one request; send smaller batches`);
      }
      const entry = readMetadata(body, ...r.bytesRange(), limits);
      if ('problem' in entry) addProblem(out, entry.problem);
      else out.metadata.push(entry);
      continue;
    }
    if (field !== 1 || wire !== WIRE_BYTES) {
      r.skip(wire); // anything newer: nothing to store
      continue;
    }
    if (++timeseries > limits.maxSeries) {
      throw new ProtoError(`more than ${limits.maxSeries} time series in one request; send smaller batches`);
    }
    const [start, end] = r.bytesRange();
    decodeTimeSeries(start, end, out, view, unknownByHash, limits, cache);
  }
  return out;
}

function decodeTimeSeries(
  start: number,
  end: number,
  out: DecodedWrite,
  view: DataView,
  unknownByHash: Map<number, number[]>,
  limits: DecodeLimits,
  cache: SeriesLookup,
): void {
  // The hot path of ingest: no allocation per field. Labels are keyed by their raw bytes,
  // which Prometheus writes contiguously (other layouts are concatenated).
  const { body } = out;
  const r = new ProtoReader(body, start, end);
  let keyStart = -1;
  let keyEnd = -1;
  let scattered: Buffer[] | undefined;
  const samplesFrom = out.sampleCount;
  let histograms = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === LABEL_TAG) {
      const fieldStart = r.pos - 1;
      const length = r.uint32();
      if (length > end - r.pos) throw new ProtoError('TimeSeries.labels runs past the end of its message');
      r.pos += length;
      if (keyStart < 0) keyStart = fieldStart;
      else if (fieldStart !== keyEnd) {
        (scattered ??= []).push(body.subarray(keyStart, keyEnd));
        keyStart = fieldStart;
      }
      keyEnd = r.pos;
    } else if (tag === SAMPLE_TAG) {
      const length = r.uint32();
      if (length > end - r.pos) throw new ProtoError('TimeSeries.samples runs past the end of its message');
      readSample(r, r.pos + length, out, limits);
    } else if (tag === HISTOGRAM_TAG) {
      histograms++;
      r.skip(WIRE_BYTES);
    } else {
      const field = tag >>> 3;
      if (field === 0) throw new ProtoError('field number 0 in TimeSeries');
      if (field === 1 || field === 2)
        throw new ProtoError(`TimeSeries field ${field} has wire type ${tag & 7}, expected 2`);
      r.skip(tag & 7); // exemplars (3) are not stored
    }
  }
  const sampleCount = out.sampleCount - samplesFrom;
  if (histograms) {
    addProblem(out, 'native histograms are not supported; their samples were not stored');
    out.rejectedSamples += histograms;
  }
  if (sampleCount === 0) return;
  let keyBuf: Uint8Array = body;
  let keyView = view;
  if (scattered) {
    keyBuf = Buffer.concat([...scattered, body.subarray(keyStart, keyEnd)]);
    keyView = viewOf(keyBuf);
    keyStart = 0;
    keyEnd = keyBuf.length;
  } else if (keyStart < 0) keyStart = keyEnd = 0;
  const hash = hashBytes(keyView, keyStart, keyEnd);
  let id = cache.lookup(keyView, keyStart, keyEnd, hash);
  if (id < 0) {
    // The cold path: a label set first seen here (or seen earlier in this request).
    const key: LabelKey = { hash, buf: keyBuf, start: keyStart, end: keyEnd };
    const sameHash = unknownByHash.get(hash);
    let index = sameHash?.find((i) => sameKey(out.unknown[i].key, key));
    if (index === undefined) {
      const labels: Label[] = [];
      for (const [labelStart, labelEnd] of labelRanges(body, start, end)) {
        const label = readCheckedLabel(body, labelStart, labelEnd);
        if (!label) return reject(out, samplesFrom, 'label name or value is not valid UTF-8');
        if (label.value !== '') labels.push(label); // an empty value means "no such label"
      }
      const problem = labelSetProblem(labels, limits);
      if (problem) return reject(out, samplesFrom, `${problem} in series ${describeLabels(labels)}`);
      index = out.unknown.length;
      out.unknown.push({ key, labels });
      if (sameHash) sameHash.push(index);
      else unknownByHash.set(hash, [index]);
    }
    id = -1 - index;
  }
  out.sampleSeries.fill(id, samplesFrom, out.sampleCount);
}

const LABEL_TAG = (1 << 3) | WIRE_BYTES;
const SAMPLE_TAG = (2 << 3) | WIRE_BYTES;
const HISTOGRAM_TAG = (4 << 3) | WIRE_BYTES;
const VALUE_TAG = (1 << 3) | WIRE_FIXED64;
const TIMESTAMP_TAG = (2 << 3) | WIRE_VARINT;

/** Payload ranges of a TimeSeries' label fields (the cold path: only for series the cache lacks). */
function labelRanges(body: Buffer, start: number, end: number): [number, number][] {
  const r = new ProtoReader(body, start, end);
  const ranges: [number, number][] = [];
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === WIRE_BYTES) ranges.push(r.bytesRange());
    else r.skip(wire);
  }
  return ranges;
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

function addProblem(out: DecodedWrite, problem: string): void {
  out.problemCount++;
  if (out.problems.length < 10 && !out.problems.includes(problem)) out.problems.push(problem);
}

function reject(out: DecodedWrite, samplesFrom: number, problem: string): void {
  addProblem(out, problem);
  out.rejectedSamples += out.sampleCount - samplesFrom;
  out.sampleCount = samplesFrom;
}

function readSample(r: ProtoReader, end: number, out: DecodedWrite, limits: DecodeLimits): void {
  let valueAt = -1;
  let timestamp = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === VALUE_TAG) {
      valueAt = r.pos;
      r.pos += 8;
    } else if (tag === TIMESTAMP_TAG) timestamp = r.int64();
    else {
      const field = tag >>> 3;
      if (field === 1 || field === 2 || field === 0)
        throw new ProtoError(`Sample field ${field} has wire type ${tag & 7}`);
      r.skip(tag & 7);
    }
    if (r.pos > end) throw new ProtoError('Sample field runs past the end of its message');
  }
  if (timestamp < limits.minTime) {
    out.tooOld++;
    return;
  }
  if (timestamp > limits.maxTime) {
    addProblem(out, `sample timestamp ${new Date(timestamp).toISOString()} is too far in the future`);
    out.rejectedSamples++;
    return;
  }
  if (out.sampleCount === out.sampleTime.length) grow(out);
  const i = out.sampleCount++;
  out.sampleTime[i] = timestamp;
  // A sample without field 1 has the value 0 (offset -1 stands for it).
  out.sampleValueAt[i] = valueAt;
  if (valueAt >= 0 && isStale(out.body, valueAt)) out.staleMarkers++;
}

function isStale(body: Buffer, at: number): boolean {
  return body.readUInt32LE(at) === 2 && body.readUInt32LE(at + 4) === 0x7ff00000;
}

function grow(out: DecodedWrite): void {
  const size = out.sampleTime.length * 2;
  const series = new Float64Array(size);
  series.set(out.sampleSeries);
  const time = new Float64Array(size);
  time.set(out.sampleTime);
  const valueAt = new Int32Array(size);
  valueAt.set(out.sampleValueAt);
  out.sampleSeries = series;
  out.sampleTime = time;
  out.sampleValueAt = valueAt;
}
