// Synthetic fleet-shaped remote_write payloads: H hosts x S series each, one sample per
// TimeSeries as Prometheus sends them, split into batches of a given size.

import { snappyCompress } from '@nester/common/prompb/snappy';
import type { TimeSeries } from '@nester/common/prompb/types';
import { encodeWriteRequest } from '@nester/common/prompb/write';

const METRICS = 50;

export interface Fleet {
  hosts: number;
  seriesPerHost: number;
}

/** Labels of series i of host h: 50 metric names, each with series-specific `cpu` and `mode`-like labels. */
function seriesLabels(h: number, i: number): TimeSeries['labels'] {
  const metric = i % METRICS;
  const variant = Math.floor(i / METRICS);
  return [
    { name: '__name__', value: `fleet_metric_${metric}_total` },
    { name: 'cpu', value: String(variant % 16) },
    { name: 'instance', value: `host-${h}.example.net:9100` },
    { name: 'job', value: 'node' },
    { name: 'mode', value: `m${Math.floor(variant / 16)}` },
  ];
}

/** One scrape round of the whole fleet at `timestamp`, as compressed request bodies of `batch` series. */
export function roundPayloads(fleet: Fleet, timestamp: number, batch: number, round: number): Buffer[] {
  const bodies: Buffer[] = [];
  let current: TimeSeries[] = [];
  for (let h = 0; h < fleet.hosts; h++) {
    for (let i = 0; i < fleet.seriesPerHost; i++) {
      current.push({ labels: seriesLabels(h, i), samples: [{ value: round * 1000 + i + h / 1000, timestamp }] });
      if (current.length === batch) {
        bodies.push(snappyCompress(encodeWriteRequest({ timeseries: current })));
        current = [];
      }
    }
  }
  if (current.length) bodies.push(snappyCompress(encodeWriteRequest({ timeseries: current })));
  return bodies;
}

/** 24 h of one gauge and one counter for `hosts` hosts at 15 s, as backfill requests (many samples per series). */
export function dayOfHistory(hosts: number, end: number): Buffer[] {
  const bodies: Buffer[] = [];
  const start = end - 86_400_000;
  const chunk = 1000; // samples per TimeSeries message
  for (let h = 0; h < hosts; h++) {
    const labels = (name: string) => [
      { name: '__name__', value: name },
      { name: 'instance', value: `host-${h}.example.net:9100` },
      { name: 'job', value: 'history' },
    ];
    const timeseries: TimeSeries[] = [];
    let total = 0;
    for (let from = start; from <= end; from += chunk * 15_000) {
      const load: TimeSeries = { labels: labels('history_load1'), samples: [] };
      const counter: TimeSeries = { labels: labels('history_requests_total'), samples: [] };
      for (let t = from; t < from + chunk * 15_000 && t <= end; t += 15_000) {
        total = (t / 15_000) % 4000 === h ? 0 : total + ((t / 15_000) % 7); // an occasional counter reset
        load.samples.push({ value: 1 + Math.sin(t / 3.6e6 + h), timestamp: t });
        counter.samples.push({ value: total, timestamp: t });
      }
      timeseries.push(load, counter);
    }
    bodies.push(snappyCompress(encodeWriteRequest({ timeseries })));
  }
  return bodies;
}

/**
 * 24 h of `history_cpu_seconds_total{instance, mode}` counters for `hosts` hosts at 15 s, as
 * node_exporter reports them (seconds in hundredths), one series per mode: for `sum by (mode)`.
 */
export function dayOfCpu(hosts: number, end: number, modes: string[]): Buffer[] {
  const bodies: Buffer[] = [];
  const start = end - 86_400_000;
  for (let h = 0; h < hosts; h++) {
    const timeseries: TimeSeries[] = modes.map((mode) => ({
      labels: [
        { name: '__name__', value: 'history_cpu_seconds_total' },
        { name: 'instance', value: `host-${h}.example.net:9100` },
        { name: 'job', value: 'history' },
        { name: 'mode', value: mode },
      ],
      samples: [],
    }));
    const totals = modes.map(() => 1000 * h);
    for (let t = start; t <= end; t += 15_000) {
      modes.forEach((_, m) => {
        const share = (m === 0 ? 0.8 : 0.2 / (modes.length - 1)) * (1 + 0.3 * Math.sin(t / 3.6e6 + h + m));
        totals[m] = Math.round((totals[m] + 15 * share) * 100) / 100;
        timeseries[m].samples.push({ value: totals[m], timestamp: t });
      });
    }
    bodies.push(snappyCompress(encodeWriteRequest({ timeseries })));
  }
  return bodies;
}
