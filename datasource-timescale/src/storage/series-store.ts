// Resolves label sets to series ids: from the cache when known, otherwise all unknown sets of
// a batch in one call to resolve_series() (which creates the missing ones).

import type { Label } from '@nester/common/prompb/types';
import type { Pool } from 'pg';
import { SeriesCache, type LabelKey } from './series-cache';

export interface NewSeries {
  key: LabelKey;
  labels: Label[];
}

export class SeriesStore {
  readonly cache: SeriesCache;

  constructor(
    private readonly pool: Pool,
    cacheSize: number,
  ) {
    this.cache = new SeriesCache(cacheSize);
  }

  /** Ids for series the cache did not know, in input order; fills the cache. */
  async resolve(unknown: NewSeries[]): Promise<number[]> {
    const ids = new Array<number | undefined>(unknown.length);
    let pending = unknown.map((_, i) => i);
    // A label set that another replica is inserting at this very moment is not visible yet;
    // asking again (a new statement, a new snapshot) finds it once that insert commits.
    for (let attempt = 0; pending.length && attempt < 5; attempt++) {
      const found = await this.lookupOrCreate(pending.map((i) => unknown[i]));
      pending.forEach((i, j) => (ids[i] = found[j]));
      pending = pending.filter((i) => ids[i] === undefined);
    }
    if (pending.length) throw new Error(`${pending.length} series could not be resolved; the sender will retry`);
    unknown.forEach((series, i) => this.cache.set(series.key, ids[i]!));
    return ids as number[];
  }

  private async lookupOrCreate(sets: NewSeries[]): Promise<(number | undefined)[]> {
    const pairSeries: number[] = [];
    const keys: string[] = [];
    const values: string[] = [];
    const metricNames: string[] = [];
    sets.forEach((series, i) => {
      for (const label of series.labels) {
        pairSeries.push(i + 1);
        keys.push(label.name);
        values.push(label.value);
      }
      metricNames.push(series.labels.find((label) => label.name === '__name__')?.value ?? '');
    });
    const { rows } = await this.pool.query<{ ord: number; series_id: string }>(
      'SELECT ord, series_id FROM resolve_series($1::int[], $2::text[], $3::text[], $4::text[])',
      [pairSeries, keys, values, metricNames],
    );
    const ids = new Array<number | undefined>(sets.length);
    for (const row of rows) ids[row.ord - 1] = Number(row.series_id);
    return ids;
  }
}
