import { ScopedVars, TimeRange, TypedVariableModel } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

import { FormatFunction, Variables, replaceVariables, scopedText } from './variables';

/**
 * A stand-in for Grafana's template service as datasources see it (getTemplateSrv()): the
 * dashboard's variables (from the page URL in the sandbox) plus the request's scoped variables,
 * replaced with the same syntax and formats as replaceVariables. Variables with several values
 * are multi-value variables; a format function sees them as arrays, as in Grafana.
 */
export class SandboxTemplateSrv implements TemplateSrv {
  constructor(private variables: Variables = {}) {}

  setVariables(variables: Variables) {
    this.variables = variables;
  }

  getVariables(): TypedVariableModel[] {
    return Object.entries(this.variables).map(([name, value]) => {
      const values = Array.isArray(value) ? value : [value];
      return {
        id: name,
        name,
        type: 'custom',
        multi: Array.isArray(value),
        includeAll: false,
        current: { text: values, value },
        options: values.map((v) => ({ text: v, value: v, selected: true })),
      } as unknown as TypedVariableModel;
    });
  }

  // The signature of Grafana's TemplateSrv.replace.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    const scoped: Variables = {};
    for (const [name, variable] of Object.entries(scopedVars ?? {})) {
      const value: unknown = variable?.value;
      scoped[name] = Array.isArray(value) ? value.map(scopedText) : scopedText(value);
    }
    return replaceVariables(target, { ...this.variables, ...scoped }, format as string | FormatFunction | undefined);
  }

  containsTemplate(target?: string): boolean {
    return Boolean(target) && this.replace(target, undefined, () => '\uE000') !== target;
  }

  updateTimeRange(_timeRange: TimeRange): void {}
}

/** The shell's one template service; pages set the dashboard's variables from their URL. */
export const sandboxTemplateSrv = new SandboxTemplateSrv();
