// One step's values, as Prometheus' Vector: samples with their label sets.

import type { Labels } from './labels';

export interface Sample {
  labels: Labels;
  v: number;
  /** The sample's own time where it differs from the step's (timestamp() of a selector). */
  t?: number;
}

export type Vector = Sample[];

export class ExecutionError extends Error {
  override name = 'ExecutionError';
}
