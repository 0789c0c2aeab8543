import { Harvester } from '../../api/types';

export interface MetricQuery {
  refId: string;
  title: string;
  unit: 'percent' | 'number';
  expr: string;
}

export const DEFAULT_METRICS_SELECTOR = 'instance=~"${hostname}(:[0-9]+)?"';

/** Escapes text for a regex inside a PromQL double-quoted string. */
function promRegexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\\\${c}`);
}

/** The label matcher selecting one harvester's series; ${hostname} and ${id} are filled in. */
export function harvesterSelector(template: string | undefined, harvester: Harvester): string {
  return (template?.trim() || DEFAULT_METRICS_SELECTOR)
    .replace(/\$\{hostname\}/g, promRegexLiteral(harvester.hostname))
    .replace(/\$\{id\}/g, promRegexLiteral(harvester.id));
}

/** node_exporter-compatible queries (the agent exports the same names). */
export function metricQueries(selector: string): MetricQuery[] {
  const s = selector;
  return [
    {
      refId: 'cpu',
      title: 'CPU busy',
      unit: 'percent',
      expr: `100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle",${s}}[5m])))`,
    },
    {
      refId: 'memory',
      title: 'Memory used',
      unit: 'percent',
      expr: `100 * (1 - sum(node_memory_MemAvailable_bytes{${s}}) / sum(node_memory_MemTotal_bytes{${s}}))`,
    },
    { refId: 'load', title: 'Load (1 min)', unit: 'number', expr: `max(node_load1{${s}})` },
    {
      refId: 'disk',
      title: 'Root disk used',
      unit: 'percent',
      expr: `100 * (1 - max(node_filesystem_avail_bytes{mountpoint="/",${s}}) / max(node_filesystem_size_bytes{mountpoint="/",${s}}))`,
    },
  ];
}
