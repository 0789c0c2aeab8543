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
    const ids = new Array<number>(unknown.length);
    const pairSeries: number[] = [];
    const keys: string[] = [];
    const values: string[] = [];
    const metricNames: string[] = [];
    unknown.forEach((series, i) => {
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
    for (const row of rows) ids[row.ord - 1] = Number(row.series_id);
    for (let i = 0; i < unknown.length; i++) {
      if (ids[i] === undefined) throw new Error(`series ${i} was not resolved; retry`);
      this.cache.set(unknown[i].key, ids[i]);
    }
    return ids;
  }
}
