// GET /metrics: the adapter's own counters in the Prometheus text format, so the Prometheus that
// writes to it can also watch it (ingest rate, refusals, failures, cache effectiveness).

import type { Stats } from './stats';

export interface CacheFigures {
  size: number;
  hits: number;
  misses: number;
}

const COUNTERS: [keyof Stats, string, string][] = [
  ['samplesWritten', 'timescale_adapter_samples_written_total', 'Samples stored from remote_write.'],
  [
    'samplesRejected',
    'timescale_adapter_samples_rejected_total',
    'Samples refused with 400 (invalid series or timestamps).',
  ],
  [
    'samplesTooOld',
    'timescale_adapter_samples_too_old_total',
    'Samples older than the retention, accepted and dropped.',
  ],
  ['staleMarkers', 'timescale_adapter_stale_markers_total', 'Stale markers stored.'],
  ['writeFailures', 'timescale_adapter_write_failures_total', 'remote_write requests that failed with 5xx.'],
  ['readRequests', 'timescale_adapter_read_requests_total', 'remote_read requests answered.'],
  ['queries', 'timescale_adapter_queries_total', 'Datasource queries answered.'],
];

export function formatMetrics(stats: Stats, cache: CacheFigures): string {
  const lines: string[] = [];
  const family = (name: string, type: string, help: string, value: number) =>
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
  for (const [key, name, help] of COUNTERS) family(name, 'counter', help, stats[key]);
  family('timescale_adapter_series_cache_size', 'gauge', 'Series ids held in memory.', cache.size);
  family('timescale_adapter_series_cache_hits_total', 'counter', 'Series found in the cache.', cache.hits);
  family(
    'timescale_adapter_series_cache_misses_total',
    'counter',
    'Series looked up or created in the database.',
    cache.misses,
  );
  return `${lines.join('\n')}\n`;
}
