import {
  DataFrame,
  DataTransformerConfig,
  DataTransformerInfo,
  MatcherConfig,
  standardTransformers,
  standardTransformersRegistry,
  transformDataFrame,
} from '@grafana/data';
import { lastValueFrom } from 'rxjs';

/**
 * Grafana registers its transformers when it starts (with their editors, and a few more that
 * live in Grafana's app); the sandbox registers @grafana/data's own, which run the same code a
 * panel's transformations run in Grafana. An id not registered here is reported, not skipped
 * silently as transformDataFrame would.
 */
const infos = new Map<string, DataTransformerInfo>();
for (const info of Object.values(standardTransformers) as DataTransformerInfo[]) {
  infos.set(info.id, info);
}
standardTransformersRegistry.setInit(() =>
  [...infos.values()].map((transformation) => ({
    id: transformation.id,
    name: transformation.name,
    description: transformation.description,
    transformation,
    editor: () => null,
  })),
);

export class UnknownTransformationError extends Error {}

/** A transformation as a dashboard's JSON holds it. */
export interface TransformationConfig {
  id: string;
  options?: unknown;
  disabled?: boolean;
  filter?: MatcherConfig;
}

/** The frames after a panel's transformations, with dashboard variables applied to their options. */
export async function applyTransformations(
  configs: TransformationConfig[],
  frames: DataFrame[],
  interpolate: (text: string) => string = (text) => text,
): Promise<DataFrame[]> {
  const unknown = configs.filter((config) => !config.disabled && !infos.has(config.id)).map((config) => config.id);
  if (unknown.length) {
    throw new UnknownTransformationError(`transformations not in @grafana/data, not run here: ${unknown.join(', ')}`);
  }
  const runnable: DataTransformerConfig[] = configs.map(({ id, options, disabled, filter }) => ({
    id,
    options: options ?? {},
    disabled,
    filter,
  }));
  return lastValueFrom(transformDataFrame(runnable, frames, { interpolate }));
}

/** Whether @grafana/data has this transformation (what Grafana and the sandbox both run). */
export const isStandardTransformation = (id: string) => infos.has(id);
