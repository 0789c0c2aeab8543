// Builder fields as PromQL text, written by the compiler the adapter runs builder queries with
// (@nester/contracts/query/builder-promql): the selector sent to the adapter and to its label
// APIs, and the expression shown under the builder, which is the PromQL the adapter evaluates.
// Label values are always escaped string literals, so no value can end its string early.
import {
  escapeRegex,
  formatSelector as writeSelector,
  LABEL_NAME,
  METRIC_NAME,
} from '@nester/contracts/query/builder-promql';

import { BuilderFields, DEFAULT_RANGE, LabelMatcher } from '../types';

export { escapeRegex, LABEL_NAME, METRIC_NAME };

/**
 * `metric{a="b", c=~"d"}`; matchers without a label name are unfinished rows and left out, and
 * nothing at all is `{}`. Throws (BuilderError) for what PromQL cannot hold, e.g. an invalid name.
 */
export function formatSelector(metric: string | undefined, matchers: LabelMatcher[] = []): string {
  const complete = matchers.filter((m) => m.label);
  return metric || complete.length ? writeSelector(metric || undefined, complete) : '{}';
}

/** For reading only: dashboard variables in names ($metric) as typed, values as JSON strings. */
function selectorAsTyped(metric: string | undefined, matchers: LabelMatcher[] = []): string {
  try {
    return formatSelector(metric, matchers);
  } catch {
    const complete = matchers.filter((m) => m.label);
    const inner = complete.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(', ');
    return `${metric ?? ''}${complete.length ? `{${inner}}` : ''}` || '{}';
  }
}

/**
 * The builder's query as PromQL, e.g. `sum by (instance) (rate(x{a="b"}[5m]))`, with dashboard
 * variables ($__rate_interval, $job) as written; they are applied before the query runs.
 */
export function formatExpression(fields: BuilderFields): string {
  let text = selectorAsTyped(fields.metric, fields.matchers);
  if (fields.function) {
    text = `${fields.function}(${text}[${fields.range || DEFAULT_RANGE}])`;
  }
  const aggregation = fields.aggregation;
  if (aggregation) {
    text = aggregation.labels.length
      ? `${aggregation.op} ${aggregation.mode} (${aggregation.labels.join(', ')}) (${text})`
      : `${aggregation.op}(${text})`;
  }
  return text;
}
