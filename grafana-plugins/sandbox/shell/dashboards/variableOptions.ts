import {
  CustomVariableSupport,
  DataQuery,
  DataQueryRequest,
  DataSourceApi,
  TimeRange,
  VariableSupportType,
} from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import type { VariableModel } from '@grafana/schema';
import { lastValueFrom } from 'rxjs';

import { responseFrames } from '../datasources/responseFrames';
import { valuesOf } from '../datasources/variableValues';

/** A custom variable's values ("a,b,c" or "a : 1, b : 2" keeps the text before " : "). */
function customValues(query: string): string[] {
  return query
    .split(/(?<!\\),/)
    .map((item) => item.split(' : ')[0].trim())
    .filter(Boolean);
}

function sorted(values: string[], sort: number | undefined): string[] {
  const unique = [...new Set(values)];
  switch (sort) {
    case 1:
      return unique.sort();
    case 2:
      return unique.sort().reverse();
    case 3:
      return unique.sort((a, b) => Number(a) - Number(b));
    case 4:
      return unique.sort((a, b) => Number(b) - Number(a));
    default:
      return unique;
  }
}

/** Grafana's variable regex: keeps matching values, the first group when there is one. */
function applyRegex(values: string[], regex: string | undefined): string[] {
  if (!regex) {
    return values;
  }
  const match = /^\/(.*)\/([gimsuy]*)$/.exec(regex);
  const pattern = match ? new RegExp(match[1], match[2]) : new RegExp(regex);
  return values.flatMap((value) => {
    const found = pattern.exec(value);
    return found ? [found[1] ?? value] : [];
  });
}

async function queryValues(variable: VariableModel, range: TimeRange): Promise<string[]> {
  const ds: DataSourceApi = await getDataSourceSrv().get(variable.datasource ?? null);
  const support = ds.variables;
  if (support && support.getType() === VariableSupportType.Custom) {
    // Grafana hands a custom variable support the stored query as the request's one target.
    const target = (typeof variable.query === 'object'
      ? variable.query
      : (variable.query ?? '')) as unknown as DataQuery;
    const request = {
      requestId: `variable-${variable.name}`,
      app: 'dashboard',
      targets: [target],
      range,
      interval: '1m',
      intervalMs: 60_000,
      scopedVars: {},
      timezone: 'browser',
      startTime: Date.now(),
    } as DataQueryRequest;
    const response = await lastValueFrom((support as CustomVariableSupport<DataSourceApi>).query(request));
    const error = response.errors?.[0] ?? response.error;
    if (error) {
      throw new Error(error.message ?? 'variable query failed');
    }
    return valuesOf(responseFrames(response));
  }
  if (!ds.metricFindQuery) {
    throw new Error(`${ds.name} has no variable support`);
  }
  const found = await ds.metricFindQuery(variable.query, { range, variable });
  return found.map((item) => String(item.value ?? item.text));
}

/** The values a dashboard variable offers (query variables ask their datasource). */
export async function variableOptions(variable: VariableModel, range: TimeRange): Promise<string[]> {
  switch (variable.type) {
    case 'query':
      return sorted(applyRegex(await queryValues(variable, range), variable.regex), variable.sort);
    case 'custom':
      return customValues(typeof variable.query === 'string' ? variable.query : '');
    case 'constant':
    case 'textbox':
      return [typeof variable.query === 'string' ? variable.query : ''];
    default:
      throw new Error(`variables of type ${variable.type} are not run by the sandbox`);
  }
}
