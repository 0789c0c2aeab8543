// Which database this run is on: the embedded plain PostgreSQL (project datasource-timescale) or
// PostgreSQL 15 with TimescaleDB (project "datasource-timescale on TimescaleDB", whose setup file
// sets NESTER_TEST_BACKEND). Tests assert what their backend must do, and that the adapter really
// took that backend's path, so neither run can silently take the other's.

import type { StorageStatus } from '@nester/contracts/query/adapter-status';
import type { QueryResult, QueryResultRow } from 'pg';

export type TestBackend = 'postgresql' | 'timescaledb';

export const BACKEND: TestBackend = backendFromEnv(process.env.NESTER_TEST_BACKEND);

export const ON_TIMESCALEDB = BACKEND === 'timescaledb';

function backendFromEnv(value: string | undefined): TestBackend {
  if (value === undefined || value === '' || value === 'postgresql') return 'postgresql';
  if (value === 'timescaledb') return 'timescaledb';
  throw new Error(`NESTER_TEST_BACKEND=${value}: expected postgresql or timescaledb`);
}

/** What /api/v1/status must say about the storage on this run's backend. */
export function expectedStorage(): Record<keyof StorageStatus, unknown> {
  return ON_TIMESCALEDB
    ? {
        engine: 'timescaledb',
        partitioning: 'hypertable',
        compression: true,
        retention: 'timescaledb retention policy',
        bucketFunction: 'time_bucket',
        postgres: expect.stringMatching(/^\d+\.\d+/),
        timescaledb: expect.stringMatching(/^2\.\d+\.\d+/),
        license: 'timescale',
        // The test cluster runs policies with CALL run_job only (testing/src/timescaledb.ts).
        backgroundWorkers: expect.any(Number),
      }
    : {
        engine: 'postgresql',
        partitioning: 'native range partitions',
        compression: false,
        retention: 'partition drop job',
        bucketFunction: 'date_bin',
        postgres: expect.stringMatching(/^\d+\.\d+/),
        timescaledb: null,
        license: null,
        backgroundWorkers: null,
      };
}

/** Runs the samples table's TimescaleDB policy of that kind now, as the scheduler would (CALL run_job). */
export async function runPolicy(pool: Queryable, proc: 'policy_retention' | 'policy_compression'): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `SELECT job_id AS id FROM timescaledb_information.jobs
      WHERE hypertable_schema = current_schema() AND hypertable_name = 'samples' AND proc_name = $1`,
    [proc],
  );
  expect(rows).toHaveLength(1);
  await pool.query('CALL run_job($1)', [rows[0].id]);
  return rows[0].id;
}

interface Queryable {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}
