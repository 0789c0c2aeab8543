// A sampling of the collectors turned into remote_write time series, labelled the way a
// Prometheus scrape labels them: `job` and `instance` added, clashing labels from the target
// renamed to exported_job / exported_instance (honor_labels: false), and so are those clashing with
// the machine's own labels (its harvester id, its operator labels), empty values dropped,
// label names sorted bytewise. Series that vanish since the last sampling get a stale marker.

import type { Label, TimeSeries } from '@nester/common/prompb/types';
import type { Labels, MetricFamily } from '../metrics/family';

export interface Target {
  job: string;
  instance: string;
  /** The machine's own labels (harvester id, operator labels); like job and instance they win a clash. */
  labels?: Record<string, string>;
}

export function toTimeSeries(families: MetricFamily[], target: Target, timestamp: number): TimeSeries[] {
  const series: TimeSeries[] = [];
  for (const family of families) {
    for (const sample of family.samples) {
      series.push({
        labels: seriesLabels(family.name, sample.labels, target),
        samples: [{ value: sample.value, timestamp }],
      });
    }
  }
  return series;
}

function seriesLabels(name: string, labels: Labels, target: Target): Label[] {
  const own = target.labels ?? {};
  const out: Label[] = [{ name: '__name__', value: name }];
  for (const [key, value] of Object.entries(labels)) {
    if (value === '' || own[key] === value) continue;
    const clashes = key === 'job' || key === 'instance' || key in own;
    out.push({ name: clashes ? `exported_${key}` : key, value });
  }
  for (const [key, value] of Object.entries(own)) out.push({ name: key, value });
  out.push({ name: 'instance', value: target.instance }, { name: 'job', value: target.job });
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function seriesKey(labels: Label[]): string {
  let key = '';
  for (const label of labels) key += `${label.name}\u0000${label.value}\u0000`;
  return key;
}

/** Remembers the series of the previous sampling and adds stale markers for the vanished ones. */
export class StalenessTracker {
  private previous = new Map<string, Label[]>();

  markStale(current: TimeSeries[], timestamp: number): TimeSeries[] {
    const now = new Map(current.map((series) => [seriesKey(series.labels), series.labels]));
    const stale: TimeSeries[] = [];
    for (const [key, labels] of this.previous) {
      if (!now.has(key)) stale.push({ labels, samples: [{ value: NaN, timestamp, stale: true }] });
    }
    this.previous = now;
    return stale;
  }
}
