// MetricMetadata of a WriteRequest (field 3): type, help and unit of a metric family, which
// Prometheus sends in requests of their own (metadata_config, every minute by default) and
// /api/v1/metadata answers. Checked here as label sets are: what cannot be stored is refused
// with a reason, the rest of the request is still stored.

import { MetricType } from '@nester/common/prompb/types';
import { ProtoError, ProtoReader, WIRE_BYTES, WIRE_VARINT } from '@nester/common/prompb/wire';
import { isUtf8 } from 'node:buffer';

/** One metadata entry as /api/v1/metadata shows it (type in Prometheus' lower-case words). */
export interface MetadataEntry {
  metric: string;
  type: MetadataType;
  help: string;
  unit: string;
}

export type MetadataType =
  'unknown' | 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset';

/** prompb's MetricType enum -> Prometheus' textparse.MetricType words. */
const TYPE_WORDS: Record<MetricType, MetadataType> = {
  [MetricType.UNKNOWN]: 'unknown',
  [MetricType.COUNTER]: 'counter',
  [MetricType.GAUGE]: 'gauge',
  [MetricType.HISTOGRAM]: 'histogram',
  [MetricType.GAUGEHISTOGRAM]: 'gaugehistogram',
  [MetricType.SUMMARY]: 'summary',
  [MetricType.INFO]: 'info',
  [MetricType.STATESET]: 'stateset',
};

export interface MetadataLimits {
  maxNameLength: number;
  /** Help and unit texts: bytes, as label values. */
  maxValueLength: number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Reads MetricMetadata `body[start, end)`: the entry, or why it cannot be stored. */
export function readMetadata(
  body: Buffer,
  start: number,
  end: number,
  limits: MetadataLimits,
): MetadataEntry | { problem: string } {
  const r = new ProtoReader(body, start, end);
  let type = 0;
  const text = { metric: '', help: '', unit: '' };
  let invalidUtf8 = false;
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field === 1) {
      if (wire !== WIRE_VARINT) throw new ProtoError(`MetricMetadata.type has wire type ${wire}, expected 0`);
      type = r.uint32();
    } else if (field === 2 || field === 4 || field === 5) {
      if (wire !== WIRE_BYTES) throw new ProtoError(`MetricMetadata field ${field} has wire type ${wire}, expected 2`);
      const [from, to] = r.bytesRange();
      const bytes = body.subarray(from, to);
      if (!isUtf8(bytes)) invalidUtf8 = true;
      else text[field === 2 ? 'metric' : field === 4 ? 'help' : 'unit'] = bytes.toString('utf8');
    } else r.skip(wire);
  }
  const name = JSON.stringify(text.metric.slice(0, 100));
  if (invalidUtf8) return { problem: `metadata of ${name}: a text is not valid UTF-8` };
  if (!METRIC_NAME.test(text.metric)) return { problem: `metadata for an invalid metric name ${name}` };
  if (text.metric.length > limits.maxNameLength) {
    return { problem: `metadata for a metric name longer than ${limits.maxNameLength} bytes` };
  }
  if (!(type in TYPE_WORDS)) return { problem: `metadata of ${name}: unknown metric type ${type}` };
  for (const what of ['help', 'unit'] as const) {
    if (Buffer.byteLength(text[what]) > limits.maxValueLength) {
      return { problem: `metadata of ${name}: ${what} longer than ${limits.maxValueLength} bytes` };
    }
    if (text[what].includes('\0')) return { problem: `metadata of ${name}: ${what} contains a NUL character` };
  }
  return { ...text, type: TYPE_WORDS[type as MetricType] };
}
