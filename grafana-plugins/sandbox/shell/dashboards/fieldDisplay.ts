import {
  DataFrame,
  Field,
  FieldType,
  formattedValueToString,
  getFieldDisplayName,
  getValueFormat,
} from '@grafana/data';
import type { FieldConfigSource } from '@grafana/schema';

interface Shown {
  name: string;
  unit?: string;
  decimals?: number;
}

/**
 * A field's name, unit and decimals as a panel shows them: the panel's defaults, then its
 * overrides that match the field by name (the override kinds the sandbox applies; Grafana has
 * more).
 */
export function fieldShown(field: Field, frame: DataFrame, frames: DataFrame[], config?: FieldConfigSource): Shown {
  const shown: Shown = {
    name: getFieldDisplayName(field, frame, frames),
    unit: config?.defaults.unit,
    decimals: config?.defaults.decimals,
  };
  for (const override of config?.overrides ?? []) {
    if (
      override.matcher.id !== 'byName' ||
      (override.matcher.options !== field.name && override.matcher.options !== shown.name)
    ) {
      continue;
    }
    for (const { id, value } of override.properties) {
      if (id === 'displayName' && typeof value === 'string') {
        shown.name = value;
      } else if (id === 'unit' && typeof value === 'string') {
        shown.unit = value;
      } else if (id === 'decimals' && typeof value === 'number') {
        shown.decimals = value;
      }
    }
  }
  return shown;
}

/** A value as the panel would print it with its unit. */
export function formatValue(value: unknown, field: Field, shown: Shown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (field.type === FieldType.time && typeof value === 'number') {
    return new Date(value).toISOString();
  }
  if (typeof value === 'number') {
    return formattedValueToString(getValueFormat(shown.unit ?? 'none')(value, shown.decimals ?? 2));
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
