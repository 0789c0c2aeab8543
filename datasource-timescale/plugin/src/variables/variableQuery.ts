// Template variable queries: label values (for $instance-style variables), label names or metric
// names, optionally of the series a selector picks. Prometheus' query syntax is read too, so
// variables carried over from a Prometheus datasource keep working:
//   label_values(instance)   label_values(node_uname_info{job="$job"}, instance)
//   label_names()            label_names(up)        metrics()
import { DataQuery, ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

import { AdapterClient } from '../api/client';
import { InterpolationError, interpolateBuilder, interpolateName } from '../query/interpolate';
import { parseExpr } from '../query/parseExpr';
import { formatSelector } from '../query/promql';

export type VariableQueryKind = 'labelValues' | 'labelNames' | 'metricNames';

export interface VariableQuery extends DataQuery {
  kind: VariableQueryKind;
  /** The label whose values are listed (labelValues). */
  label?: string;
  /** A series selector the values are taken from; dashboard variables allowed. */
  match?: string;
}

export class VariableQueryError extends Error {}

const CALL = /^\s*(label_values|label_names|metrics)\s*\(\s*(.*?)\s*\)\s*$/s;

export function parseVariableQuery(text: string, refId = 'variable'): VariableQuery {
  const call = CALL.exec(text);
  if (!call) {
    throw new VariableQueryError(
      `"${text}" is not a variable query; use label_values(label), label_values(selector, label), label_names() or metrics()`,
    );
  }
  const [, name, args] = call;
  if (name === 'label_names') {
    return { refId, kind: 'labelNames', match: args || undefined };
  }
  if (name === 'metrics') {
    return { refId, kind: 'metricNames', match: args ? `{__name__=~"${args.replace(/["\\]/g, '\\$&')}"}` : undefined };
  }
  const comma = args.lastIndexOf(',');
  return comma === -1
    ? { refId, kind: 'labelValues', label: args }
    : { refId, kind: 'labelValues', match: args.slice(0, comma).trim(), label: args.slice(comma + 1).trim() };
}

/** Stored queries may be Prometheus-style strings (older dashboards) or the structured form. */
export function normaliseVariableQuery(query: VariableQuery | string | undefined, refId = 'variable'): VariableQuery {
  if (typeof query === 'string') {
    return query.trim() ? parseVariableQuery(query, refId) : { refId, kind: 'labelValues' };
  }
  // A new variable starts as {refId} alone.
  return { ...query, refId: query?.refId ?? refId, kind: query?.kind ?? 'labelValues' };
}

function matchSelector(match: string | undefined, templateSrv: TemplateSrv, vars: ScopedVars): string[] {
  if (!match?.trim()) {
    return [];
  }
  const fields = parseExpr(match);
  if (fields.function || fields.aggregation) {
    throw new VariableQueryError('a variable query takes a plain series selector, without functions');
  }
  const applied = interpolateBuilder(fields, templateSrv, vars);
  return [formatSelector(applied.metric, applied.matchers)];
}

/** The values a variable query lists, sorted as the adapter sorts them. */
export async function runVariableQuery(
  query: VariableQuery,
  client: AdapterClient,
  templateSrv: TemplateSrv,
  vars: ScopedVars = {},
): Promise<string[]> {
  const match = matchSelector(query.match, templateSrv, vars);
  switch (query.kind) {
    case 'labelNames':
      return client.labelNames(match);
    case 'metricNames':
      return client.labelValues('__name__', match);
    case 'labelValues': {
      if (!query.label?.trim()) {
        throw new VariableQueryError('choose the label whose values the variable lists');
      }
      return client.labelValues(interpolateName(query.label, templateSrv, vars, 'label'), match);
    }
    default:
      throw new InterpolationError(`unknown variable query kind ${JSON.stringify(query.kind)}`);
  }
}
