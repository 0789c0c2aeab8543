import { Threshold, ThresholdsConfig, ThresholdsMode, getActiveThreshold } from '@grafana/data';

import { Health } from './health';

/**
 * Colour steps for the health columns, in Grafana's own threshold model (absolute steps, the
 * first from -Infinity, colours by name resolved with the theme): Grafana's default for a new
 * panel is green, then red from 80; the same here for CPU, memory and disk %, and for load per CPU
 * red from 1 (every core busy on average).
 */
export type HealthMetric = 'cpuPercent' | 'memoryPercent' | 'diskPercent' | 'loadPerCpu';

const steps = (red: number): ThresholdsConfig => ({
  mode: ThresholdsMode.Absolute,
  steps: [
    { value: -Infinity, color: 'green' },
    { value: red, color: 'red' },
  ],
});

export const HEALTH_THRESHOLDS: Record<HealthMetric, ThresholdsConfig> = {
  cpuPercent: steps(80),
  memoryPercent: steps(80),
  diskPercent: steps(80),
  loadPerCpu: steps(1),
};

/** The step a value falls in, as Grafana picks it; undefined without a value. */
export function thresholdFor(metric: HealthMetric, value: number | undefined): Threshold | undefined {
  return value === undefined || !Number.isFinite(value)
    ? undefined
    : getActiveThreshold(value, HEALTH_THRESHOLDS[metric].steps);
}

/** High: past the base step. */
export function isHigh(metric: HealthMetric, value: number | undefined): boolean {
  const step = thresholdFor(metric, value);
  return step !== undefined && step.value !== -Infinity;
}

export interface HealthCounts {
  cpu: number;
  memory: number;
  disk: number;
  load: number;
  /** Harvesters with any figure at all. */
  reporting: number;
}

export function countHigh(health: Iterable<Health>): HealthCounts {
  const counts: HealthCounts = { cpu: 0, memory: 0, disk: 0, load: 0, reporting: 0 };
  for (const h of health) {
    counts.reporting++;
    counts.cpu += Number(isHigh('cpuPercent', h.cpuPercent));
    counts.memory += Number(isHigh('memoryPercent', h.memoryPercent));
    counts.disk += Number(isHigh('diskPercent', h.diskPercent));
    counts.load += Number(isHigh('loadPerCpu', h.loadPerCpu));
  }
  return counts;
}
