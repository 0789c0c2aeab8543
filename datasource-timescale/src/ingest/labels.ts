// Label rules of remote_write 1.0: names match [a-zA-Z_][a-zA-Z0-9_]*, the metric name
// [a-zA-Z_:][a-zA-Z0-9_:]*; names sorted bytewise with no repeats; __name__ present. Values
// are UTF-8; PostgreSQL text cannot hold NUL, so such a value is refused rather than mangled.

import type { Label } from '@nester/common/prompb/types';

export interface LabelLimits {
  maxLabels: number;
  maxNameLength: number;
  maxValueLength: number;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Returns why the label set is invalid, or undefined. Empty values are dropped beforehand. */
export function labelSetProblem(labels: Label[], limits: LabelLimits): string | undefined {
  if (labels.length > limits.maxLabels) return `${labels.length} labels, more than the limit of ${limits.maxLabels}`;
  let metric: string | undefined;
  for (let i = 0; i < labels.length; i++) {
    const { name, value } = labels[i];
    if (name.length > limits.maxNameLength) return `label name longer than ${limits.maxNameLength} bytes`;
    if (!LABEL_NAME.test(name)) return `invalid label name ${JSON.stringify(name.slice(0, 100))}`;
    if (i > 0) {
      const previous = labels[i - 1].name;
      if (previous === name) return `duplicate label name ${JSON.stringify(name)}`;
      if (previous > name)
        return `labels not sorted by name (${JSON.stringify(previous)} before ${JSON.stringify(name)})`;
    }
    if (Buffer.byteLength(value) > limits.maxValueLength) {
      return `value of label ${JSON.stringify(name)} longer than ${limits.maxValueLength} bytes`;
    }
    if (value.includes('\0')) return `value of label ${JSON.stringify(name)} contains a NUL character`;
    if (name === '__name__') metric = value;
  }
  if (metric === undefined) return 'no __name__ label (metric name)';
  if (!METRIC_NAME.test(metric)) return `invalid metric name ${JSON.stringify(metric.slice(0, 100))}`;
  return undefined;
}

/** A short printable form of a label set for error messages. */
export function describeLabels(labels: Label[]): string {
  const text = `{${labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
