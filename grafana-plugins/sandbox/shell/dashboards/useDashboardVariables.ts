import type { VariableModel } from '@grafana/schema';
import { useEffect, useState } from 'react';

import { sandboxTemplateSrv } from '../templateSrv';
import { Variables } from '../variables';
import { RawRange, toTimeRange } from './timeRange';
import { variableOptions } from './variableOptions';

export interface ResolvedVariable {
  name: string;
  label: string;
  hidden: boolean;
  options: string[];
  value: string | string[];
  error?: string;
}

function currentOf(variable: VariableModel): string[] {
  const value = variable.current?.value;
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
}

/**
 * Grafana's variable loading, in order: each variable's options (a query variable's from its
 * datasource, with the variables before it applied), then its value: the page URL's var-<name>,
 * else the saved current value when it is an option, else the first option. The template
 * service holds the values so far, so later queries and the panels see them.
 */
export function useDashboardVariables(list: VariableModel[] | undefined, search: string, raw: RawRange) {
  const [state, setState] = useState<{ variables?: ResolvedVariable[]; values: Variables }>({ values: {} });
  useEffect(() => {
    if (!list) {
      return undefined;
    }
    let alive = true;
    const params = new URLSearchParams(search);
    void (async () => {
      const values: Variables = {};
      const variables: ResolvedVariable[] = [];
      for (const variable of list) {
        sandboxTemplateSrv.setVariables(values);
        let options: string[] = [];
        let error: string | undefined;
        try {
          options = await variableOptions(variable, toTimeRange(raw));
        } catch (err) {
          error = err instanceof Error ? err.message : String(err);
        }
        const fromUrl = params.getAll(`var-${variable.name}`);
        const saved = currentOf(variable).filter((value) => options.includes(value));
        const chosen = fromUrl.length ? fromUrl : saved.length ? saved : options.slice(0, 1);
        const value = chosen.length > 1 ? chosen : (chosen[0] ?? '');
        values[variable.name] = value;
        variables.push({
          name: variable.name,
          label: variable.label ?? variable.name,
          // 2: the schema's VariableHide.hideVariable (its enum differs from the exported one).
          hidden: Number(variable.hide) === 2,
          options,
          value,
          error,
        });
      }
      sandboxTemplateSrv.setVariables(values);
      if (alive) {
        setState({ variables, values });
      }
    })();
    return () => {
      alive = false;
    };
  }, [list, search, raw]);
  return state;
}
