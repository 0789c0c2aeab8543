// Grafana transformations the dashboards use, in the shape @grafana/data's transformers read
// (@grafana/data declares their option types but does not export them). The arithmetic the
// datasource does not do (it evaluates a selector, one range function and one aggregation) is
// done here, in the browser, by Grafana's own transformers: transforms.test.ts runs each panel's
// list with @grafana/data on frames shaped as the adapter sends them.
import type { DataTransformerConfig } from '@grafana/schema';

type BinaryOperator = '+' | '-' | '*' | '/';
type Operand = { fixed: string } | { matcher: { id: 'byName' | 'byType'; options: string } };

const fixed = (value: number): Operand => ({ fixed: String(value) });
const field = (name: string): Operand => ({ matcher: { id: 'byName', options: name } });

function binary(
  left: Operand,
  operator: BinaryOperator,
  right: Operand,
  extra: { alias?: string; replaceFields?: boolean },
): DataTransformerConfig {
  return { id: 'calculateField', options: { mode: 'binary', binary: { left, operator, right }, ...extra } };
}

/** A new field `alias` = left op right, for fields named (display names) or numbers. */
export function calculate(
  alias: string,
  left: string | number,
  operator: BinaryOperator,
  right: string | number,
  replaceFields = false,
): DataTransformerConfig {
  const operand = (value: string | number) => (typeof value === 'number' ? fixed(value) : field(value));
  return binary(operand(left), operator, operand(right), { alias, replaceFields });
}

/**
 * 1 − x for every number field of every series, keeping each series' labels and name: Grafana's
 * "binary operation on all number fields" takes the field on the left only, so −x + 1.
 */
export function oneMinusEach(): DataTransformerConfig[] {
  const allNumbers: Operand = { matcher: { id: 'byType', options: 'number' } };
  return [
    binary(allNumbers, '*', fixed(-1), { replaceFields: true }),
    binary(allNumbers, '+', fixed(1), { replaceFields: true }),
  ];
}

/**
 * Latest values as one table row per label set: each series reduced to its last value, its
 * labels made columns, and the series merged on the labels they share. The value columns keep
 * their field names (the metric name of a plain selector), so formulas can name them.
 */
export function latestRows(): DataTransformerConfig[] {
  return [
    { id: 'reduce', options: { mode: 'reduceFields', reducers: ['lastNotNull'] } },
    { id: 'labelsToFields', options: { mode: 'columns' } },
    { id: 'merge', options: {} },
  ];
}

/** Rows grouped by `by`; every other named field reduced with its calculation. */
export function groupBy(
  by: string,
  reduce: Record<string, 'max' | 'min' | 'first' | 'lastNotNull'>,
): DataTransformerConfig {
  const fields: Record<string, { operation: 'groupby' | 'aggregate'; aggregations: string[] }> = {
    [by]: { operation: 'groupby', aggregations: [] },
  };
  for (const [name, calculation] of Object.entries(reduce)) {
    fields[name] = { operation: 'aggregate', aggregations: [calculation] };
  }
  return { id: 'groupBy', options: { fields } };
}

export function sortBy(name: string, desc: boolean): DataTransformerConfig {
  return { id: 'sortBy', options: { fields: {}, sort: [{ field: name, desc }] } };
}

/** Keeps and orders columns: those not listed are left out (the panel's overrides name them). */
export function columns(names: string[]): DataTransformerConfig {
  return {
    id: 'organize',
    options: {
      excludeByName: {},
      includeByName: Object.fromEntries(names.map((name) => [name, true])),
      indexByName: Object.fromEntries(names.map((name, i) => [name, i])),
      renameByName: {},
    },
  };
}
