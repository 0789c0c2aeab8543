// Label sets as Prometheus' labels.Labels: sorted by name, no empty values.

import type { Label } from '@nester/common/prompb/types';
import { compareLabels } from '../query/series-select';

export type Labels = readonly Label[];

export const METRIC_NAME = '__name__';

export { compareLabels };

/** A string identifying the set (for maps): names and values with separators no label holds. */
export function labelsKey(ls: Labels): string {
  let key = '';
  for (const l of ls) key += `${l.name}\xff${l.value}\xfe`;
  return key;
}

export function getLabel(ls: Labels, name: string): string {
  for (const l of ls) if (l.name === name) return l.value;
  return '';
}

export function dropMetricName(ls: Labels): Labels {
  return ls.some((l) => l.name === METRIC_NAME) ? ls.filter((l) => l.name !== METRIC_NAME) : ls;
}

/** Sets a label (an empty value deletes it), keeping the order. */
export function setLabel(ls: Labels, name: string, value: string): Labels {
  const out = ls.filter((l) => l.name !== name);
  if (value === '') return out;
  const i = out.findIndex((l) => l.name > name);
  out.splice(i < 0 ? out.length : i, 0, { name, value });
  return out;
}

export function keepLabels(ls: Labels, names: readonly string[]): Labels {
  return ls.filter((l) => names.includes(l.name));
}

export function deleteLabels(ls: Labels, names: readonly string[]): Labels {
  return ls.filter((l) => !names.includes(l.name));
}

/** labels.BytesWithLabels / BytesWithoutLabels as a key: the matching signature of a series. */
export function signature(ls: Labels, on: boolean, names: readonly string[]): string {
  let key = '';
  for (const l of ls) {
    const listed = names.includes(l.name);
    if (on ? listed : !listed && l.name !== METRIC_NAME) key += `${l.name}\xff${l.value}\xfe`;
  }
  return key;
}

/** The label set as Prometheus prints it: `{a="b", c="d"}`. */
export function formatLabels(ls: Labels): string {
  return `{${ls.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}

export function labelsObject(ls: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of ls) out[l.name] = l.value;
  return out;
}
