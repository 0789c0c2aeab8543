// GET /api/v1/status shows the jobs that keep the samples table in shape and how their runs went:
// TimescaleDB's retention and compression policies as its scheduler recorded them, or the
// adapter's own partition maintenance. What an operator reads when a policy keeps failing.

import { testPool } from '@nester/testing/pool';
import { startTimescaleCluster, type TimescaleCluster } from '@nester/testing/timescaledb';
import { eventually } from '@nester/testing/services';
import { withClient } from '@nester/testing/database';
import { startAdapter } from '../src/app';
import { ON_TIMESCALEDB, runPolicy } from './backend';
import { capturedLog } from './captured-log';
import { adapterConfig, getJson, remoteWrite, series, startHarness, writeBody } from './harness';

const HOUR = 3_600_000;
const isoTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

if (ON_TIMESCALEDB) {
  test('the retention and compression policies with their ids, schedules and config; a warning that they never run here', async () => {
    const captured = capturedLog();
    const h = await startHarness('adapter_jobs', { chunkIntervalMs: HOUR, retentionMs: 48 * HOUR, log: captured.log });
    try {
      const { rows: ids } = await h.pool.query<{ id: number; proc: string }>(
        "SELECT job_id AS id, proc_name AS proc FROM timescaledb_information.jobs WHERE hypertable_name = 'samples' ORDER BY 1",
      );
      const id = (proc: string) => ids.find((row) => row.proc === proc)?.id;
      const never = {
        runBy: 'timescaledb',
        scheduled: true,
        lastRunStartedAt: null,
        lastRunStatus: null,
        lastSuccessAt: null,
        totalRuns: 0,
        totalFailures: 0,
        lastError: null,
      };
      const expected = [
        {
          ...never,
          id: id('policy_retention'),
          kind: 'retention',
          scheduleMs: 24 * HOUR,
          config: expect.objectContaining({ drop_after: expect.any(String) }),
          nextStart: null,
        },
        {
          ...never,
          id: id('policy_compression'),
          kind: 'compression',
          scheduleMs: expect.any(Number),
          config: expect.objectContaining({ compress_after: expect.any(String) }),
          nextStart: null,
        },
      ].sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
      expect((await getJson(h.url, '/api/v1/status')).body.data.jobs).toEqual(expected);
      expect(captured.messages()).toContainEqual(
        expect.stringMatching(
          /^timescaledb\.max_background_workers is 0: the retention and compression policies never run/,
        ),
      );
      // CALL run_job runs them (TimescaleDB does not record such runs: only its scheduler's).
      await runPolicy(h.pool, 'policy_retention');
      await runPolicy(h.pool, 'policy_compression');
    } finally {
      await h.stop();
    }
  });

  describe("with TimescaleDB's scheduler running", () => {
    let cluster: TimescaleCluster;
    beforeAll(async () => {
      cluster = await startTimescaleCluster({ backgroundWorkers: 4 });
    }, 60_000);
    afterAll(() => cluster?.stop());

    test('status shows each policy as TimescaleDB recorded its runs: status, failures, next start, last error', async () => {
      await withClient(cluster.url, (c) => c.query('CREATE DATABASE metrics'));
      const url = new URL(cluster.url);
      url.pathname = '/metrics';
      const adapter = await startAdapter(adapterConfig(url.toString(), { chunkIntervalMs: HOUR }));
      const { pool, end: endPool } = testPool(url.toString(), 1);
      try {
        const base = `http://127.0.0.1:${adapter.port}`;
        const body = writeBody([
          series('up', {}, [
            [Date.now() - 3 * HOUR, 1],
            [Date.now() - 1000, 1],
          ]),
        ]);
        expect((await remoteWrite(base, body)).status).toBe(204);
        // Both policies due now: the scheduler starts them.
        await pool.query(
          "SELECT alter_job(job_id, next_start => now()) FROM timescaledb_information.jobs WHERE hypertable_name = 'samples'",
        );
        const finished = await eventually(
          async () => {
            const { rows } = await pool.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM timescaledb_information.job_stats
                WHERE hypertable_name = 'samples' AND total_runs > 0 AND last_run_status IS NOT NULL AND job_status <> 'Running'`,
            );
            return rows[0].n === 2;
          },
          'both policies to have run once',
          60_000,
        );
        expect(finished).toBe(true);

        const recordedNow = async () =>
          (
            await pool.query(
              `SELECT s.job_id AS id, s.total_runs::int AS runs, s.total_failures::int AS failures,
                      lower(s.last_run_status) AS status, s.last_run_started_at AS started, s.next_start,
                      (SELECT e.err_message FROM timescaledb_information.job_errors e
                        WHERE e.job_id = s.job_id ORDER BY e.finish_time DESC LIMIT 1) AS error
                 FROM timescaledb_information.job_stats s WHERE s.hypertable_name = 'samples' ORDER BY 1`,
            )
          ).rows;
        // The scheduler may retry a failed job meanwhile: compare with a state that held still
        // around the request, no run under way.
        const { recorded, jobs } = await eventually(async () => {
          const before = await recordedNow();
          const status = await getJson(base, '/api/v1/status');
          const after = await recordedNow();
          const still = JSON.stringify(before) === JSON.stringify(after) && after.every((job) => job.status !== null);
          return still ? { recorded: after, jobs: status.body.data.jobs } : undefined;
        }, 'a status taken while the recorded runs held still');
        expect(jobs).toHaveLength(2);
        jobs.forEach((job: Record<string, unknown>, i: number) => {
          const db = recorded[i];
          expect(job).toMatchObject({
            id: db.id,
            runBy: 'timescaledb',
            totalRuns: db.runs,
            totalFailures: db.failures,
            lastRunStatus: db.status,
            lastRunStartedAt: db.started.toISOString(),
            // -infinity while a run is under way: no next start then.
            nextStart: db.next_start instanceof Date ? db.next_start.toISOString() : null,
          });
          expect(db.runs).toBeGreaterThan(0);
          if (db.status === 'failed') {
            // What an operator needs: that it failed, how often, and why.
            expect(db.failures).toBeGreaterThan(0);
            expect(job.lastError).toEqual({ at: isoTime, message: db.error });
            expect(db.error).toMatch(/\S/);
          } else {
            expect(db.status).toBe('success');
            expect(job.lastSuccessAt).toEqual(isoTime);
          }
        });
      } finally {
        await endPool();
        await adapter.close();
      }
    }, 120_000);
  });
} else {
  test("the adapter's maintenance: each run, its last success, and a failure with its error until it recovers", async () => {
    const h = await startHarness('adapter_jobs', { chunkIntervalMs: HOUR, maintenanceEveryMs: 300 });
    try {
      const job = async () => (await getJson(h.url, '/api/v1/status')).body.data.jobs;
      const first = await job();
      expect(first).toEqual([
        {
          id: null,
          kind: 'partitions and retention',
          runBy: 'adapter',
          scheduleMs: 300,
          scheduled: true,
          config: null,
          lastRunStartedAt: isoTime,
          lastRunStatus: 'success',
          lastSuccessAt: isoTime,
          totalRuns: expect.any(Number),
          totalFailures: 0,
          nextStart: isoTime,
          lastError: null,
        },
      ]);
      // The table it keeps partitions in goes missing: each run now fails, and says why.
      await h.pool.query('ALTER TABLE sample_partitions RENAME TO sample_partitions_away');
      await eventually(async () => (await job())[0].totalFailures >= 2, 'two failed maintenance runs');
      const failing = (await job())[0];
      expect(failing).toMatchObject({
        lastRunStatus: 'failed',
        lastError: { at: isoTime, message: expect.stringMatching(/sample_partitions.* does not exist/) },
      });
      expect(failing.totalRuns).toBeGreaterThan(first[0].totalRuns);
      // Back again: the next run succeeds; the last error stays visible with its time.
      await h.pool.query('ALTER TABLE sample_partitions_away RENAME TO sample_partitions');
      await eventually(async () => (await job())[0].lastRunStatus === 'success', 'a successful maintenance run');
      const recovered = (await job())[0];
      expect(recovered.lastError).toEqual(failing.lastError);
      expect(Date.parse(recovered.lastSuccessAt)).toBeGreaterThan(Date.parse(failing.lastError.at));
    } finally {
      await h.stop();
    }
  });
}
