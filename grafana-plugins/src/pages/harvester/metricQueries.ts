import { HARVESTER_ID_LABEL } from '@nester/contracts/metrics/identity';
import type { Harvester } from '@nester/contracts/nester/api';

import { promRegexLiteral } from '../fleet/healthQueries';
import { dfUsedPercent } from './diskUsage';

/**
 * One figure of the Harvester page. Its parts are PromQL a selector inside at most one range
 * function and one aggregation: what both a Prometheus datasource and nester-timescale-datasource
 * evaluate. The arithmetic between parts (100 × (1 − a / b)) is done here, point by point.
 */
export interface MetricQuery {
  refId: string;
  title: string;
  unit: 'percent' | 'number';
  parts: Record<string, string>;
  combine: (values: Record<string, number>) => number;
}

/** A harvester's series carry its id (the agent pushes it on every series): select by it, not by hostname. */
export const DEFAULT_METRICS_SELECTOR = `${HARVESTER_ID_LABEL}="\${id}"`;

/**
 * The label matcher selecting one harvester's series. ${id} is filled in (ids are h_ and hex: the
 * same in a regex and a string); ${hostname}, regex-escaped, only for a custom selector of a site
 * whose own Prometheus scrapes the agents without relabelling them with their id.
 */
export function harvesterSelector(template: string | undefined, harvester: Harvester): string {
  return (template?.trim() || DEFAULT_METRICS_SELECTOR)
    .replace(/\$\{hostname\}/g, promRegexLiteral(harvester.hostname))
    .replace(/\$\{id\}/g, promRegexLiteral(harvester.id));
}

/** node_exporter-compatible queries (the agent exports the same names). */
export function metricQueries(selector: string): MetricQuery[] {
  const s = selector;
  const usedPercent = (free: number, total: number) => 100 * (1 - free / total);
  return [
    {
      refId: 'cpu',
      title: 'CPU busy',
      unit: 'percent',
      parts: { idle: `avg(rate(node_cpu_seconds_total{mode="idle",${s}}[5m]))` },
      combine: (v) => 100 * (1 - v.idle),
    },
    {
      refId: 'memory',
      title: 'Memory used',
      unit: 'percent',
      parts: { available: `sum(node_memory_MemAvailable_bytes{${s}})`, total: `sum(node_memory_MemTotal_bytes{${s}})` },
      combine: (v) => usedPercent(v.available, v.total),
    },
    {
      refId: 'load',
      title: 'Load (1 min)',
      unit: 'number',
      parts: { load1: `max(node_load1{${s}})` },
      combine: (v) => v.load1,
    },
    {
      refId: 'disk',
      title: 'Root disk used',
      unit: 'percent',
      // As df: used / (used + available); blocks reserved for root are neither.
      parts: {
        size: `max(node_filesystem_size_bytes{mountpoint="/",${s}})`,
        free: `max(node_filesystem_free_bytes{mountpoint="/",${s}})`,
        available: `max(node_filesystem_avail_bytes{mountpoint="/",${s}})`,
      },
      combine: (v) => dfUsedPercent(v.size, v.free, v.available),
    },
  ];
}

/** The figure over time, [epoch ms, value]: the parts combined wherever all of them have a point. */
export function combineParts(query: MetricQuery, parts: Record<string, Map<number, number>>): Array<[number, number]> {
  const names = Object.keys(query.parts);
  const times = [...(parts[names[0]]?.keys() ?? [])].sort((a, b) => a - b);
  const values: Array<[number, number]> = [];
  for (const time of times) {
    const point = Object.fromEntries(names.map((name) => [name, parts[name]?.get(time) ?? NaN]));
    if (Object.values(point).some(Number.isNaN)) {
      continue;
    }
    const value = query.combine(point);
    if (Number.isFinite(value)) {
      values.push([time, value]);
    }
  }
  return values;
}
