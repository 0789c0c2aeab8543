import type { AdapterStatus } from '@nester/contracts/query/adapter-status';

/** One sentence on what the adapter stores into, from GET /api/v1/status, for "Save & test". */
export function describeStatus(status: AdapterStatus, metricNames: number): string {
  const storage = status.storage ?? {};
  let where: string;
  if (storage.engine === 'timescaledb') {
    const licence = storage.license ? `, ${storage.license} licence` : '';
    const compression = storage.compression ? ', compressed chunks' : '';
    where = `TimescaleDB ${storage.timescaledb ?? ''}${licence} on PostgreSQL ${storage.postgres ?? '?'} (hypertable${compression})`;
  } else if (storage.engine === 'postgresql') {
    where = `PostgreSQL ${storage.postgres ?? '?'} with ${storage.partitioning ?? 'partitions'} (TimescaleDB not in use)`;
  } else {
    where = 'storage not reported';
  }
  const names = `${metricNames} metric name${metricNames === 1 ? '' : 's'} stored`;
  return `Connected to the timescale-adapter: ${where}; ${names}.`;
}
