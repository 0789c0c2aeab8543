// Finds the series a set of matchers selects, Prometheus-style, without putting user text in
// SQL: each matcher is applied in JS to the label dictionary's values for its label name,
// which yields label-id sets; series are then selected by array overlap on those ids.
//   matcher rejects ""  -> the series must carry one of the label ids whose value matches;
//   matcher accepts ""  -> the series must carry none of the ids whose value does not match.

import type { Label } from '@nester/common/prompb/types';
import type { Pool } from 'pg';
import type { Matcher } from './matchers';

export interface SelectedSeries {
  id: number;
  labels: Label[];
}

/** Only series with a sample in [startMs, endMs] (both ms, within years 1-9999). */
export interface SampleRange {
  startMs: number;
  endMs: number;
}

/** The SQL condition "series `alias` has a sample in the range", its times as parameters `$n`, `$n+1`. */
function hasSampleIn(alias: string, n: number): string {
  return `EXISTS (SELECT 1 FROM samples x WHERE x.series_id = ${alias}.id AND x.time >= $${n}::timestamptz AND x.time <= $${n + 1}::timestamptz)`;
}

function rangeParams(range: SampleRange): string[] {
  return [new Date(range.startMs).toISOString(), new Date(range.endMs).toISOString()];
}

export class SeriesSelector {
  /** Label id -> pair. Ids are never reused, so entries never go stale. */
  private readonly labelById = new Map<number, Label>();

  constructor(
    private readonly pool: Pool,
    private readonly labelCacheSize = 1_000_000,
  ) {}

  async select(matchers: Matcher[], range?: SampleRange): Promise<SelectedSeries[]> {
    if (range && range.startMs > range.endMs) return [];
    const keys = [...new Set(matchers.map((m) => m.name))];
    const { rows } = await this.pool.query<{ id: number; key: string; value: string }>(
      'SELECT id, key, value FROM label WHERE key = ANY($1::text[])',
      [keys],
    );
    const byKey = new Map<string, { id: number; value: string }[]>();
    for (const row of rows) {
      const list = byKey.get(row.key) ?? [];
      list.push(row);
      byKey.set(row.key, list);
      this.remember(row.id, row.key, row.value);
    }

    const where: string[] = [];
    const params: (number[] | string)[] = [];
    for (const m of matchers) {
      const candidates = byKey.get(m.name) ?? [];
      if (m.matches('')) {
        const excluded = candidates.filter((c) => !m.matches(c.value)).map((c) => c.id);
        if (!excluded.length) continue;
        params.push(excluded);
        where.push(`NOT labels && $${params.length}::int[]`);
      } else {
        const required = candidates.filter((c) => m.matches(c.value)).map((c) => c.id);
        if (!required.length) return [];
        params.push(required);
        where.push(`labels && $${params.length}::int[]`);
      }
    }
    if (range) {
      where.push(hasSampleIn('series', params.length + 1));
      params.push(...rangeParams(range));
    }
    const series = await this.pool.query<{ id: string; labels: number[] }>(
      `SELECT id, labels FROM series ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    );
    const pairs = await this.labelsFor(series.rows.flatMap((row) => row.labels));
    const result = series.rows.map((row) => ({
      id: Number(row.id),
      labels: row.labels.map((id) => pairs.get(id)!),
    }));
    return result.sort((a, b) => compareLabels(a.labels, b.labels));
  }

  /** Series selected by any of the matcher sets, each once, in Prometheus' label order. */
  async selectAny(selectors: Matcher[][], range?: SampleRange): Promise<SelectedSeries[]> {
    const byId = new Map<number, SelectedSeries>();
    for (const matchers of selectors)
      for (const series of await this.select(matchers, range)) byId.set(series.id, series);
    return [...byId.values()].sort((a, b) => compareLabels(a.labels, b.labels));
  }

  /**
   * Names of labels present on series selected by any of the matcher sets (all series if none),
   * with a range only series with a sample in it.
   */
  async labelNames(selectors: Matcher[][], range?: SampleRange): Promise<string[]> {
    if (range && range.startMs > range.endMs) return [];
    if (!selectors.length && !range) {
      const { rows } = await this.pool.query<{ key: string }>(
        'SELECT DISTINCT key COLLATE "C" AS key FROM label ORDER BY 1',
      );
      return rows.map((row) => row.key);
    }
    if (!selectors.length && range) {
      // Names straight from the series holding samples in range: one index probe per series.
      const { rows } = await this.pool.query<{ key: string }>(
        `SELECT DISTINCT l.key COLLATE "C" AS key FROM series s CROSS JOIN LATERAL unnest(s.labels) AS lid JOIN label l ON l.id = lid
          WHERE ${hasSampleIn('s', 1)} ORDER BY 1`,
        rangeParams(range),
      );
      return rows.map((row) => row.key);
    }
    const names = new Set<string>();
    for (const matchers of selectors) {
      for (const series of await this.select(matchers, range)) for (const label of series.labels) names.add(label.name);
    }
    return [...names].sort();
  }

  /** Values of one label on series selected by any of the matcher sets (all series if none), as labelNames. */
  async labelValues(name: string, selectors: Matcher[][], range?: SampleRange): Promise<string[]> {
    if (range && range.startMs > range.endMs) return [];
    if (!selectors.length) {
      const { rows } = await this.pool.query<{ value: string }>(
        `SELECT value FROM label WHERE key = $1 AND EXISTS (SELECT 1 FROM series s WHERE s.labels @> ARRAY[label.id]${
          range ? ` AND ${hasSampleIn('s', 2)}` : ''
        }) ORDER BY value COLLATE "C"`,
        range ? [name, ...rangeParams(range)] : [name],
      );
      return rows.map((row) => row.value);
    }
    const values = new Set<string>();
    for (const matchers of selectors) {
      for (const series of await this.select(matchers, range)) {
        const label = series.labels.find((l) => l.name === name);
        if (label) values.add(label.value);
      }
    }
    return [...values].sort();
  }

  private async labelsFor(ids: number[]): Promise<Map<number, Label>> {
    const found = new Map<number, Label>();
    const missing: number[] = [];
    for (const id of new Set(ids)) {
      const label = this.labelById.get(id);
      if (label) found.set(id, label);
      else missing.push(id);
    }
    if (!missing.length) return found;
    const { rows } = await this.pool.query<{ id: number; key: string; value: string }>(
      'SELECT id, key, value FROM label WHERE id = ANY($1::int[])',
      [missing],
    );
    for (const row of rows) {
      found.set(row.id, { name: row.key, value: row.value });
      this.remember(row.id, row.key, row.value);
    }
    return found;
  }

  private remember(id: number, name: string, value: string): void {
    if (this.labelById.size >= this.labelCacheSize) this.labelById.clear();
    this.labelById.set(id, { name, value });
  }
}

/** Prometheus' labels.Compare: label by label, name then value, shorter set first. */
export function compareLabels(a: Label[], b: Label[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i].name !== b[i].name) return a[i].name < b[i].name ? -1 : 1;
    if (a[i].value !== b[i].value) return a[i].value < b[i].value ? -1 : 1;
  }
  return a.length - b.length;
}
