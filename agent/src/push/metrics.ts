// The push pipeline's metrics about itself, exposed with the agent's own metrics.

import { counter, gauge, type MetricFamily, single } from '../metrics/family';

export interface QueueStats {
  bytes: number;
  samples: number;
  oldestMs: number | undefined;
}

export class PushMetrics {
  sent = 0;
  retried = 0;
  failed = 0;
  dropped = 0;
  corruptSegments = 0;
  samplingSeconds = 0;
  requestSeconds = 0;
  readonly requestsByCode = new Map<string, number>();

  request(code: string, seconds: number): void {
    this.requestsByCode.set(code, (this.requestsByCode.get(code) ?? 0) + 1);
    this.requestSeconds += seconds;
  }

  families(queue: QueueStats, now = Date.now()): MetricFamily[] {
    const requests = [...this.requestsByCode].map(([code, value]) => ({ labels: { code }, value }));
    const p = 'harvester_remote_write_';
    return [
      gauge(`${p}queue_bytes`, 'Bytes on disk in the remote_write queue.', single(queue.bytes)),
      gauge(
        `${p}queue_samples`,
        'Samples in the remote_write queue not yet accepted by the receiver.',
        single(queue.samples),
      ),
      gauge(
        `${p}oldest_unsent_sample_age_seconds`,
        'Age of the oldest sample not yet accepted by the receiver (0 when the queue is empty).',
        single(queue.oldestMs === undefined ? 0 : Math.max(0, (now - queue.oldestMs) / 1000)),
      ),
      counter(`${p}samples_sent_total`, 'Samples accepted by the receiver (2xx).', single(this.sent)),
      counter(
        `${p}samples_retried_total`,
        'Samples in requests that will be retried (network error, 5xx, 429).',
        single(this.retried),
      ),
      counter(
        `${p}samples_failed_total`,
        'Samples the receiver refused for good (4xx other than 429); not retried.',
        single(this.failed),
      ),
      counter(
        `${p}samples_dropped_total`,
        'Unsent samples dropped because the queue reached its size bound.',
        single(this.dropped),
      ),
      counter(
        `${p}corrupt_segments_total`,
        'Queue segments found damaged; their rest was skipped.',
        single(this.corruptSegments),
      ),
      counter(
        `${p}requests_total`,
        'remote_write requests by outcome (HTTP status code, or "error" for network failures).',
        requests,
      ),
      counter(
        `${p}request_duration_seconds_total`,
        'Time spent in remote_write requests.',
        single(this.requestSeconds),
      ),
      gauge(
        `${p}sampling_duration_seconds`,
        'Duration of the last sampling of the collectors for remote_write.',
        single(this.samplingSeconds),
      ),
    ];
  }
}
