// The differential test's data: seeded series shaped like what the engine must get right —
// counters with resets, gauges with NaN and ±Inf, classic histograms, stale markers, gaps longer
// than the lookback, label sets that collide once the metric name is dropped — all within one
// hour (Prometheus' head appends only within an hour of its newest sample).

import type { TimeSeries } from '@nester/common/prompb/types';
import { seeded } from '@nester/testing/random';

export const SPAN_MS = 48 * 60_000;

function labels(all: Record<string, string>): TimeSeries['labels'] {
  return Object.keys(all)
    .sort()
    .map((name) => ({ name, value: all[name] }));
}

export function dataset(t0: number): TimeSeries[] {
  const r = seeded(20261203);
  const out: TimeSeries[] = [];
  const times = (interval: number, jitter = 0) => {
    const ts: number[] = [];
    for (let t = t0; t <= t0 + SPAN_MS; t += interval) ts.push(t + (jitter ? r.int(jitter) : 0));
    return ts;
  };

  // Counters with resets (two jobs, three instances each), 15 s scrapes with jitter.
  for (const job of ['api', 'db']) {
    for (let i = 1; i <= 3; i++) {
      let v = r.int(1000);
      const samples = times(15_000, 900).map((timestamp) => {
        v = r.chance(0.02) ? r.int(10) : v + r.int(50) + (r.chance(0.1) ? 0.5 : 0);
        return { timestamp, value: v };
      });
      out.push({
        labels: labels({
          __name__: 'http_requests_total',
          job,
          instance: `host-${i}:9100`,
          method: i % 2 ? 'get' : 'post',
        }),
        samples,
      });
    }
  }
  // Gauges: a random walk per instance; one carries NaN and ±Inf, one goes negative.
  for (let i = 1; i <= 4; i++) {
    let v = 50 + r.int(50);
    const samples = times(10_000).map((timestamp, k) => {
      v += r.next() * 10 - 5;
      let value = v;
      if (i === 4 && k % 37 === 5) value = NaN;
      if (i === 4 && k % 53 === 7) value = Infinity;
      if (i === 4 && k % 61 === 9) value = -Infinity;
      if (i === 3) value = v - 120;
      return { timestamp, value };
    });
    out.push({
      labels: labels({ __name__: 'node_load', instance: `host-${i}:9100`, region: i <= 2 ? 'eu' : 'us' }),
      samples,
    });
  }
  // Classic histograms: cumulative buckets, _sum and _count, with one reset.
  const bounds = ['0.1', '0.5', '1', '5', '+Inf'];
  for (const instance of ['host-1:9100', 'host-2:9100']) {
    const counts = bounds.map(() => 0);
    let sum = 0;
    const series = bounds.map(() => [] as { timestamp: number; value: number }[]);
    const sums: { timestamp: number; value: number }[] = [];
    const totals: { timestamp: number; value: number }[] = [];
    for (const timestamp of times(15_000)) {
      if (r.chance(0.01)) {
        counts.fill(0);
        sum = 0;
      }
      const n = r.int(20);
      for (let k = 0; k < n; k++) {
        const obs = r.next() * r.next() * 8;
        sum += obs;
        bounds.forEach((b, j) => {
          if (obs <= Number(b === '+Inf' ? Infinity : b)) counts[j]++;
        });
      }
      bounds.forEach((_, j) => series[j].push({ timestamp, value: counts[j] }));
      sums.push({ timestamp, value: sum });
      totals.push({ timestamp, value: counts[counts.length - 1] });
    }
    bounds.forEach((le, j) =>
      out.push({ labels: labels({ __name__: 'rpc_duration_seconds_bucket', instance, le }), samples: series[j] }),
    );
    out.push({ labels: labels({ __name__: 'rpc_duration_seconds_sum', instance }), samples: sums });
    out.push({ labels: labels({ __name__: 'rpc_duration_seconds_count', instance }), samples: totals });
  }
  // Stale markers: a target that disappears twice and comes back; a gap longer than the lookback.
  {
    const samples = times(15_000).flatMap((timestamp, k) => {
      const phase = Math.floor(k / 40);
      if (phase % 2 === 1) return k % 40 === 0 ? [{ timestamp, value: NaN, stale: true }] : [];
      return [{ timestamp, value: k * 1.5 }];
    });
    out.push({ labels: labels({ __name__: 'up_flapping', instance: 'host-9:9100', job: 'api' }), samples });
    const gap = times(20_000).filter((t) => t < t0 + 12 * 60_000 || t > t0 + 21 * 60_000 + 5000);
    out.push({
      labels: labels({ __name__: 'gappy_gauge', instance: 'host-1:9100' }),
      samples: gap.map((timestamp, k) => ({ timestamp, value: Math.sin(k / 7) * 100 })),
    });
  }
  // Label collisions after the name is dropped; an info metric for group_left joins.
  for (const name of ['collide_a', 'collide_b']) {
    out.push({
      labels: labels({ __name__: name, instance: 'host-1:9100' }),
      samples: times(30_000).map((timestamp, k) => ({ timestamp, value: k % 5 })),
    });
  }
  for (let i = 1; i <= 3; i++) {
    out.push({
      labels: labels({
        __name__: 'build_info',
        instance: `host-${i}:9100`,
        version: `1.${i}.0`,
        job: i === 3 ? 'db' : 'api',
      }),
      samples: times(30_000).map((timestamp) => ({ timestamp, value: 1 })),
    });
  }
  return out;
}
