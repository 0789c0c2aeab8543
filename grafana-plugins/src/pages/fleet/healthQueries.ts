import { NON_DISK_FSTYPES } from '../harvester/diskUsage';

/**
 * The health columns of the Fleet page, for many harvesters in one datasource request: each
 * target is a PromQL selector inside at most one range function and one aggregation grouped by
 * `harvester_id` (the label every pushed sample carries), which both a Prometheus datasource and
 * nester-timescale-datasource evaluate. Ratios are computed from the parts in healthFromFrames.
 */
export type HealthPart =
  | 'cpuIdle'
  | 'cpuCount'
  | 'memAvailable'
  | 'memTotal'
  | 'fsSize'
  | 'fsFree'
  | 'fsAvail'
  | 'load1'
  | 'bootTime'
  | 'lastSample';

export const HARVESTER_LABEL = 'harvester_id';

/** Escapes text for a regex inside a PromQL double-quoted string. */
export function promRegexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\\\${c}`);
}

/** The matcher for these harvesters (every harvester with samples when `ids` is undefined). */
export function harvestersMatcher(ids?: string[]): string {
  return ids === undefined
    ? `${HARVESTER_LABEL}!=""`
    : `${HARVESTER_LABEL}=~"${ids.map(promRegexLiteral).join('|') || '^$'}"`;
}

export function healthQueries(ids?: string[]): Record<HealthPart, string> {
  const s = harvestersMatcher(ids);
  const by = `by (${HARVESTER_LABEL})`;
  const fs = `fstype!~"${NON_DISK_FSTYPES}",${s}`;
  const byMount = `by (${HARVESTER_LABEL}, mountpoint)`;
  return {
    cpuIdle: `avg ${by} (rate(node_cpu_seconds_total{mode="idle",${s}}[5m]))`,
    cpuCount: `count ${by} (node_cpu_seconds_total{mode="idle",${s}})`,
    memAvailable: `sum ${by} (node_memory_MemAvailable_bytes{${s}})`,
    memTotal: `sum ${by} (node_memory_MemTotal_bytes{${s}})`,
    fsSize: `max ${byMount} (node_filesystem_size_bytes{${fs}})`,
    fsFree: `max ${byMount} (node_filesystem_free_bytes{${fs}})`,
    fsAvail: `max ${byMount} (node_filesystem_avail_bytes{${fs}})`,
    load1: `max ${by} (node_load1{${s}})`,
    bootTime: `max ${by} (node_boot_time_seconds{${s}})`,
    // The agent's clock at its newest sample of the last hour: when it last pushed.
    lastSample: `max ${by} (max_over_time(node_time_seconds{${s}}[1h]))`,
  };
}
