/**
 * The part of Go's text/template that Grafana's plugin proxy routes use:
 * {{ .JsonData.key }}, {{ .SecureJsonData.key }} (and {{ .URL }} for datasources), with
 * Go's default for a missing map key: the text "<no value>". Anything else is an error,
 * as Grafana answers 500 when a route template does not execute.
 */
export interface TemplateData {
  JsonData: Record<string, unknown>;
  SecureJsonData: Record<string, string>;
  URL?: string;
}

export class TemplateError extends Error {}

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const FIELD = /^\.(JsonData|SecureJsonData)\.([A-Za-z_][A-Za-z0-9_]*)$|^\.(URL)$/;

function render(value: unknown): string {
  if (value === undefined || value === null) {
    return '<no value>';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  // Go prints maps and slices in its own syntax; routes never need that, so refuse it.
  throw new TemplateError('a template field holds an object; only strings, numbers and booleans can be inserted');
}

export function interpolate(text: string, data: TemplateData): string {
  return text.replace(ACTION, (_whole, expression: string) => {
    const match = FIELD.exec(expression);
    if (!match) {
      throw new TemplateError(`unsupported template action {{ ${expression} }}`);
    }
    if (match[3]) {
      return render(data.URL);
    }
    const source = match[1] === 'JsonData' ? data.JsonData : data.SecureJsonData;
    return render(Object.prototype.hasOwnProperty.call(source, match[2]) ? source[match[2]] : undefined);
  });
}
