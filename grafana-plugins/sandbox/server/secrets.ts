import { HttpError } from './http';

/**
 * Applies an update's secureJsonData to the stored secrets, as Grafana does: only the keys it
 * names change, and an empty value clears one. Grafana keeps the values as strings; a number or
 * boolean is taken as its text, and anything else is refused rather than kept as "[object Object]".
 */
export function applySecrets(stored: Record<string, string>, update: Record<string, unknown> | undefined): void {
  for (const [key, value] of Object.entries(update ?? {})) {
    if (value === '' || value === null || value === undefined) {
      delete stored[key];
    } else if (typeof value === 'string') {
      stored[key] = value;
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      stored[key] = String(value);
    } else {
      throw new HttpError(400, `secureJsonData.${key} must be a string`);
    }
  }
}
