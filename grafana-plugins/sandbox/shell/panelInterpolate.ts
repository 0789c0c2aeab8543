import { InterpolateFunction } from '@grafana/data';

import { FormatFunction, Variables, replaceVariables, scopedText } from './variables';

/** A panel's replaceVariables: the dashboard's variables, then the call's scoped ones over them. */
export function panelInterpolate(variables: Variables): InterpolateFunction {
  return (value, scopedVars, format) => {
    const scoped: Variables = Object.fromEntries(
      Object.entries(scopedVars ?? {}).map(([key, v]) => [key, scopedText(v?.value)]),
    );
    return replaceVariables(value, { ...variables, ...scoped }, format as string | FormatFunction | undefined);
  };
}
