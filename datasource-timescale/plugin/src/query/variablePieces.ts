// Grafana's template service replaces variables with text; to escape each value for where it
// lands, the values must be kept apart from the text around them. A format function sees every
// variable's value(s) (Grafana calls it for single and multi values alike), so it can leave a
// marker in their place; the text is then split at the markers.
import { ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

export interface Pieces {
  /** The text around the variables, one more entry than `values`. */
  text: string[];
  /** Each variable occurrence's values: one for a single value, any number for multi or All. */
  values: string[][];
}

// Private-use characters mark each occurrence; the author's text is stripped of them first.
const MARKER = /\uE000(\d+)\uE001/;

/** One value as Grafana hands it over: text, or a number for some built-ins (`$__interval_ms`). */
function valueText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      // Not a variable value Grafana has; as JSON rather than "[object Object]".
      return value === null ? '' : JSON.stringify(value);
    default:
      return '';
  }
}

export function variablePieces(templateSrv: TemplateSrv, input: string, scopedVars: ScopedVars = {}): Pieces {
  const source = input.replace(/[\uE000\uE001]/g, '');
  const values: string[][] = [];
  const replaced = templateSrv.replace(source, scopedVars, (value: unknown) => {
    values.push(Array.isArray(value) ? value.map(valueText) : [valueText(value)]);
    return `\uE000${values.length - 1}\uE001`;
  });
  const text: string[] = [];
  const ordered: string[][] = [];
  let rest = replaced;
  for (let found = MARKER.exec(rest); found; found = MARKER.exec(rest)) {
    text.push(rest.slice(0, found.index));
    ordered.push(values[Number(found[1])] ?? []);
    rest = rest.slice(found.index + found[0].length);
  }
  text.push(rest);
  return { text, values: ordered };
}

/** Interleaves text and formatted values back into one string. */
export function joinPieces(text: string[], formatted: string[]): string {
  return text.reduce((out, part, i) => out + part + (i < formatted.length ? formatted[i] : ''), '');
}
