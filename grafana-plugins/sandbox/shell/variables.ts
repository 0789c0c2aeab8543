/**
 * A stand-in for Grafana's template service as panels see it (PanelProps.replaceVariables):
 * $name, ${name}, ${name:format} and [[name]] are replaced by dashboard variable values.
 * Formats: a function (called with the value or values), or glob (the default for several
 * values, "{a,b}"), csv, pipe, raw, text, regex, json, queryparam. Unknown variables are
 * left as written, as Grafana does.
 */
export type VariableValue = string | string[];
export type Variables = Record<string, VariableValue>;
export type FormatFunction = (value: VariableValue, variable?: unknown, defaultFormat?: unknown) => string;

const PATTERN = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

function escapeRegex(text: string): string {
  return text.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');
}

function format(value: VariableValue, name: string, fmt: string | FormatFunction | undefined): string {
  const values = Array.isArray(value) ? value : [value];
  if (typeof fmt === 'function') {
    return fmt(value, { name }, 'glob');
  }
  switch (fmt) {
    case 'csv':
      return values.join(',');
    case 'pipe':
      return values.join('|');
    case 'raw':
    case 'text':
      return values.join(' + ');
    case 'regex':
      return values.length === 1 ? escapeRegex(values[0]) : `(${values.map(escapeRegex).join('|')})`;
    case 'json':
      return JSON.stringify(value);
    case 'queryparam':
      return values.map((v) => `var-${encodeURIComponent(name)}=${encodeURIComponent(v)}`).join('&');
    default:
      return values.length === 1 ? values[0] : `{${values.join(',')}}`;
  }
}

export function replaceVariables(
  target: string | undefined,
  variables: Variables,
  fmt?: string | FormatFunction,
): string {
  if (!target) {
    return target ?? '';
  }
  return target.replace(
    PATTERN,
    (
      match,
      plain?: string,
      bracket?: string,
      bracketFormat?: string,
      braced?: string,
      _path?: string,
      bracedFormat?: string,
    ) => {
      const name = plain ?? bracket ?? braced ?? '';
      if (!Object.prototype.hasOwnProperty.call(variables, name)) {
        return match;
      }
      return format(variables[name], name, bracedFormat ?? bracketFormat ?? fmt);
    },
  );
}

/**
 * A scoped variable's value (Grafana types it `any`) as text: strings as they are, numbers and
 * booleans printed, a list joined with commas as String() joins it; anything else (an object,
 * which no template prints) is empty.
 */
export function scopedText(value: unknown): string {
  if (Array.isArray(value)) {
    return value.map(scopedText).join(',');
  }
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : '';
}

/** Dashboard variables from the page URL (?var-host=web-07&var-host=web-08), as Grafana links them. */
export function variablesFromQuery(query: URLSearchParams): Variables {
  const variables: Variables = {};
  for (const key of new Set(query.keys())) {
    if (key.startsWith('var-')) {
      const values = query.getAll(key);
      variables[key.slice(4)] = values.length === 1 ? values[0] : values;
    }
  }
  return variables;
}
