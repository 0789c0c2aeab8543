// The push pipeline's metrics about itself, in the agent's own registry.

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DiskQueue } from './queue/disk-queue';

export interface PushMetrics {
  sent: Counter;
  retried: Counter;
  failed: Counter;
  dropped: Counter;
  corruptSegments: Counter;
  requests: Counter<'code'>;
  requestSeconds: Histogram;
  samplingSeconds: Gauge;
}

export function createPushMetrics(registry: Registry, queue: () => DiskQueue | undefined): PushMetrics {
  const registers = [registry];
  const stat = () => queue()?.stats() ?? { bytes: 0, samples: 0, oldestMs: undefined };
  new Gauge({
    name: 'harvester_remote_write_queue_bytes',
    help: 'Bytes on disk in the remote_write queue.',
    registers,
    collect() {
      this.set(stat().bytes);
    },
  });
  new Gauge({
    name: 'harvester_remote_write_queue_samples',
    help: 'Samples in the remote_write queue not yet accepted by the receiver.',
    registers,
    collect() {
      this.set(stat().samples);
    },
  });
  new Gauge({
    name: 'harvester_remote_write_oldest_unsent_sample_age_seconds',
    help: 'Age of the oldest sample not yet accepted by the receiver (0 when the queue is empty).',
    registers,
    collect() {
      const { oldestMs } = stat();
      this.set(oldestMs === undefined ? 0 : Math.max(0, (Date.now() - oldestMs) / 1000));
    },
  });
  const counter = (name: string, help: string) => new Counter({ name, help, registers });
  return {
    sent: counter('harvester_remote_write_samples_sent_total', 'Samples accepted by the receiver (2xx).'),
    retried: counter(
      'harvester_remote_write_samples_retried_total',
      'Samples in requests that will be retried (network error, 5xx, 429).',
    ),
    failed: counter(
      'harvester_remote_write_samples_failed_total',
      'Samples the receiver refused for good (4xx other than 429); not retried.',
    ),
    dropped: counter(
      'harvester_remote_write_samples_dropped_total',
      'Unsent samples dropped because the queue reached its size bound.',
    ),
    corruptSegments: counter(
      'harvester_remote_write_corrupt_segments_total',
      'Queue segments found damaged; their rest was skipped.',
    ),
    requests: new Counter({
      name: 'harvester_remote_write_requests_total',
      help: 'remote_write requests by outcome (HTTP status code, or "error" for network failures).',
      labelNames: ['code'],
      registers,
    }),
    requestSeconds: new Histogram({
      name: 'harvester_remote_write_request_duration_seconds',
      help: 'Duration of remote_write requests.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    samplingSeconds: new Gauge({
      name: 'harvester_remote_write_sampling_duration_seconds',
      help: 'Duration of the last sampling of the collectors for remote_write.',
      registers,
    }),
  };
}
