// Dashboard variables in builder fields, each value escaped for where it lands:
// - a label value is a literal: in =~ / !~ matchers it is regex-escaped, and several values
//   become an alternation (an = matcher with several values turns into =~ of the alternation);
//   the selector writer then quotes the whole value, so `"}` stays inside the string;
// - metric names, label names and ranges must be names or durations after interpolation, or
//   the query is refused (no variable can smuggle syntax into the expression).
import { ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

import { Aggregation, BuilderFields, DEFAULT_RANGE, LabelMatcher, MatchOp } from '../types';
import { LABEL_NAME, METRIC_NAME, escapeRegex } from './promql';
import { joinPieces, variablePieces } from './variablePieces';

export class InterpolationError extends Error {}

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const REGEX_OF: Record<MatchOp, MatchOp> = { '=': '=~', '!=': '!~', '=~': '=~', '!~': '!~' };

function alternation(values: string[]): string {
  return values.length === 1 ? escapeRegex(values[0]) : `(${values.map(escapeRegex).join('|')})`;
}

export function interpolateMatcher(matcher: LabelMatcher, templateSrv: TemplateSrv, vars: ScopedVars): LabelMatcher {
  const label = interpolateName(matcher.label, templateSrv, vars, 'label name');
  const { text, values } = variablePieces(templateSrv, matcher.value, vars);
  const isRegex = matcher.op === '=~' || matcher.op === '!~';
  const multi = values.some((v) => v.length !== 1);
  if (!isRegex && !multi) {
    return {
      label,
      op: matcher.op,
      value: joinPieces(
        text,
        values.map((v) => v[0]),
      ),
    };
  }
  // The author's own text is a regex in =~ matchers and a literal in = matchers.
  const around = isRegex ? text : text.map(escapeRegex);
  return { label, op: REGEX_OF[matcher.op], value: joinPieces(around, values.map(alternation)) };
}

/** A label name (or one-valued text) after interpolation, refused unless it is a valid name. */
export function interpolateName(input: string, templateSrv: TemplateSrv, vars: ScopedVars, what: string): string {
  const { text, values } = variablePieces(templateSrv, input, vars);
  if (values.some((v) => v.length !== 1)) {
    throw new InterpolationError(`the ${what} ${input} has several values; pick one`);
  }
  const name = joinPieces(
    text,
    values.map((v) => v[0]),
  );
  if (!LABEL_NAME.test(name)) {
    throw new InterpolationError(`the ${what} ${JSON.stringify(name)} (from ${input}) is not a valid label name`);
  }
  return name;
}

/** The metric name, or for a variable with several values a __name__ =~ matcher. */
function interpolateMetric(
  metric: string,
  templateSrv: TemplateSrv,
  vars: ScopedVars,
): { metric?: string; matcher?: LabelMatcher } {
  const { text, values } = variablePieces(templateSrv, metric, vars);
  if (values.some((v) => v.length !== 1)) {
    return {
      matcher: { label: '__name__', op: '=~', value: joinPieces(text.map(escapeRegex), values.map(alternation)) },
    };
  }
  const name = joinPieces(
    text,
    values.map((v) => v[0]),
  );
  if (!METRIC_NAME.test(name)) {
    throw new InterpolationError(`the metric ${JSON.stringify(name)} (from ${metric}) is not a valid metric name`);
  }
  return { metric: name };
}

function interpolateRange(range: string, templateSrv: TemplateSrv, vars: ScopedVars): string {
  const value = templateSrv.replace(range, vars).trim();
  if (!DURATION.test(value)) {
    throw new InterpolationError(`the range ${JSON.stringify(value)} (from ${range}) is not a duration such as 5m`);
  }
  return value;
}

function interpolateAggregation(aggregation: Aggregation, templateSrv: TemplateSrv, vars: ScopedVars): Aggregation {
  const labels = aggregation.labels.flatMap((entry) => {
    const { text, values } = variablePieces(templateSrv, entry, vars);
    // A multi-value variable alone in an entry groups by each of its values.
    if (text.every((t) => t === '') && values.length === 1) {
      return values[0];
    }
    return [interpolateName(entry, templateSrv, vars, 'grouping label')];
  });
  for (const label of labels) {
    if (!LABEL_NAME.test(label)) {
      throw new InterpolationError(`the grouping label ${JSON.stringify(label)} is not a valid label name`);
    }
  }
  return { ...aggregation, labels };
}

export function interpolateBuilder(fields: BuilderFields, templateSrv: TemplateSrv, vars: ScopedVars): BuilderFields {
  const matchers = (fields.matchers ?? []).filter((m) => m.label).map((m) => interpolateMatcher(m, templateSrv, vars));
  let metric: string | undefined;
  if (fields.metric) {
    const result = interpolateMetric(fields.metric, templateSrv, vars);
    metric = result.metric;
    if (result.matcher) {
      matchers.unshift(result.matcher);
    }
  }
  return {
    metric,
    matchers,
    function: fields.function || undefined,
    range: fields.function ? interpolateRange(fields.range || DEFAULT_RANGE, templateSrv, vars) : undefined,
    aggregation: fields.aggregation ? interpolateAggregation(fields.aggregation, templateSrv, vars) : undefined,
  };
}
