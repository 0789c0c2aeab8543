import { queryFrames } from '../../components/queryDatasource';
import { healthFromFrames } from './health';
import { healthQueries } from './healthQueries';

/**
 * Health figures for these harvesters (every harvester with samples when `ids` is undefined):
 * one datasource request whatever the number of rows, its series grouped by harvester_id.
 */
export async function loadHealth(uid: string, ids: string[] | undefined, signal?: AbortSignal) {
  const frames = await queryFrames(
    uid,
    // Two points a series: the newest is what the columns show.
    { targets: healthQueries(ids), rangeMs: 60_000, intervalMs: 60_000, maxDataPoints: 2 },
    signal,
  );
  return healthFromFrames(frames, Date.now());
}
