// The jobs that keep the samples table in shape, for /api/v1/status: TimescaleDB's policies with
// what its scheduler recorded of their runs (job_stats, job_errors), or the adapter's own
// maintenance. An operator reads this when a policy keeps failing.

import type { StorageJob } from '@nester/contracts/query/adapter-status';
import type { Pool } from 'pg';
import type { MaintenanceState } from './maintenance';
import type { StorageMode } from './detect';

interface JobRow {
  id: number;
  proc: string;
  schedule_ms: string;
  scheduled: boolean;
  config: Record<string, unknown> | null;
  last_run_started_at: Date | null;
  last_run_status: string | null;
  last_success_at: Date | null;
  total_runs: string | null;
  total_failures: string | null;
  next_start: Date | null;
  error_at: Date | null;
  error_message: string | null;
}

const KINDS: Record<string, string> = { policy_retention: 'retention', policy_compression: 'compression' };

/**
 * TimescaleDB's jobs on the samples table. job_stats has a row only once the scheduler ran a job
 * (runs by CALL run_job are not recorded), hence the outer joins; its "never" is -infinity.
 */
export async function timescaleJobs(pool: Pool): Promise<StorageJob[]> {
  // Older TimescaleDB versions lack job_errors: the last error is then not shown.
  const { rows: views } = await pool.query<{ errors: boolean }>(
    "SELECT to_regclass('timescaledb_information.job_errors') IS NOT NULL AS errors",
  );
  const lastError = views[0].errors
    ? `LEFT JOIN LATERAL (SELECT e.finish_time, e.err_message FROM timescaledb_information.job_errors e
                          WHERE e.job_id = j.job_id ORDER BY e.finish_time DESC NULLS LAST LIMIT 1) e ON true`
    : 'LEFT JOIN (SELECT NULL::timestamptz AS finish_time, NULL::text AS err_message) e ON true';
  const { rows } = await pool.query<JobRow>(
    `SELECT j.job_id AS id, j.proc_name::text AS proc, j.scheduled, j.config,
            (extract(epoch FROM j.schedule_interval) * 1000)::bigint AS schedule_ms,
            s.last_run_started_at, s.last_run_status,
            nullif(s.last_successful_finish, '-infinity') AS last_success_at,
            s.total_runs, s.total_failures,
            nullif(coalesce(s.next_start, j.next_start), '-infinity') AS next_start,
            e.finish_time AS error_at, e.err_message AS error_message
       FROM timescaledb_information.jobs j
       LEFT JOIN timescaledb_information.job_stats s ON s.job_id = j.job_id
       ${lastError}
      WHERE j.hypertable_schema = current_schema() AND j.hypertable_name = 'samples'
      ORDER BY j.job_id`,
  );
  return rows.map((row) => ({
    id: row.id,
    kind: KINDS[row.proc] ?? row.proc,
    runBy: 'timescaledb',
    scheduleMs: Number(row.schedule_ms),
    scheduled: row.scheduled,
    config: row.config,
    lastRunStartedAt: iso(row.last_run_started_at),
    lastRunStatus: row.last_run_status === 'Success' ? 'success' : row.last_run_status === 'Failed' ? 'failed' : null,
    lastSuccessAt: iso(row.last_success_at),
    totalRuns: Number(row.total_runs ?? 0),
    totalFailures: Number(row.total_failures ?? 0),
    nextStart: iso(row.next_start),
    lastError: row.error_message === null ? null : { at: iso(row.error_at) ?? '', message: row.error_message },
  }));
}

/** The adapter's own maintenance job as a StorageJob. */
export function maintenanceJob(mode: StorageMode, state: MaintenanceState): StorageJob {
  return {
    id: null,
    kind: mode.retention === 'drop_chunks job' ? 'retention' : 'partitions and retention',
    runBy: 'adapter',
    scheduleMs: state.everyMs,
    scheduled: true,
    config: null,
    lastRunStartedAt: iso(state.lastRunStartedAt),
    lastRunStatus: state.lastRunFailed === undefined ? null : state.lastRunFailed ? 'failed' : 'success',
    lastSuccessAt: iso(state.lastSuccessAt),
    totalRuns: state.totalRuns,
    totalFailures: state.totalFailures,
    nextStart: iso(state.nextStart),
    lastError: state.lastError ? { at: state.lastError.at.toISOString(), message: state.lastError.message } : null,
  };
}

function iso(time: Date | null | undefined): string | null {
  return time instanceof Date && Number.isFinite(time.getTime()) ? time.toISOString() : null;
}
