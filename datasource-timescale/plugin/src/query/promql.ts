// Writing builder fields as PromQL text: the selector the adapter parses, and the whole
// expression shown to users. Label values are always written as escaped string literals,
// so no value can end its string or the selector early.
import { BuilderFields, DEFAULT_RANGE, LabelMatcher } from '../types';

export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A PromQL double-quoted string (Go escapes, as the adapter's parser reads them). */
export function quoteString(value: string): string {
  const escaped = value.replace(
    /[\\"\n\r\t]/g,
    (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!,
  );
  return `"${escaped}"`;
}

/** Escapes text so an RE2 regex matches it literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

function formatMatcher(matcher: LabelMatcher): string {
  return `${matcher.label}${matcher.op}${quoteString(matcher.value)}`;
}

/** `metric{a="b", c=~"d"}`; matchers without a label name are unfinished rows and left out. */
export function formatSelector(metric: string | undefined, matchers: LabelMatcher[] = []): string {
  const complete = matchers.filter((m) => m.label);
  const inner = complete.length ? `{${complete.map(formatMatcher).join(', ')}}` : '';
  return `${metric ?? ''}${inner}` || '{}';
}

/** The builder's query as PromQL, e.g. `sum by (instance) (rate(x{a="b"}[5m]))`. */
export function formatExpression(fields: BuilderFields): string {
  let text = formatSelector(fields.metric, fields.matchers);
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
