// The push side of the agent: every interval, sample the collectors, label the samples as a
// Prometheus scrape would, write them to the disk queue, and let the sender drain the queue.

import type { Logger } from '@nester/common/log/logger';
import { encodeWriteRequest } from '@nester/common/prompb/write';
import { snappyCompress } from '@nester/common/prompb/snappy';
import type { TimeSeries } from '@nester/common/prompb/types';
import { gauge, type MetricFamily, single } from '../metrics/family';
import type { Scraper } from '../scrape/scrape';
import { Backoff } from '../retry/backoff';
import { RemoteWriteClient } from './client';
import { PushMetrics } from './metrics';
import { DiskQueue, type FsyncPolicy } from './queue/disk-queue';
import { Sender } from './sender';
import { StalenessTracker, type Target, toTimeSeries } from './series';

export interface PushOptions {
  url: string;
  bearerTokenFile?: string;
  caFile?: string;
  intervalMs: number;
  timeoutMs: number;
  target: Target;
  /** Label of the harvester id on every series ('' for none). */
  harvesterIdLabel: string;
  maxSamplesPerSend: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  queue: { dir: string; maxBytes: number; segmentBytes: number; fsync: FsyncPolicy };
  userAgent: string;
}

export interface Push {
  /** The push pipeline's own metrics. */
  families(): MetricFamily[];
  stop(): Promise<void>;
}

/**
 * `ownFamilies` are the agent's metrics about itself, pushed along with the collectors';
 * `machineLabels` the labels of this machine at the moment (harvester id, operator labels).
 */
export function startPush(
  options: PushOptions,
  scraper: Scraper,
  ownFamilies: () => MetricFamily[],
  log: Logger,
  machineLabels: () => Record<string, string> = () => ({}),
): Push {
  const metrics = new PushMetrics();
  const queue = new DiskQueue({
    ...options.queue,
    log,
    onDropped: (samples) => (metrics.dropped += samples),
    onCorrupt: () => metrics.corruptSegments++,
  });
  const backlog = queue.stats();
  if (backlog.samples > 0) log.info({ samples: backlog.samples, bytes: backlog.bytes }, 'replaying queued samples');
  const client = new RemoteWriteClient({ ...options, userAgent: options.userAgent });
  const sender = new Sender({
    queue,
    client,
    maxSamplesPerSend: options.maxSamplesPerSend,
    backoff: new Backoff({ minMs: options.minBackoffMs, maxMs: options.maxBackoffMs }),
    metrics,
    log,
  });
  const staleness = new StalenessTracker();

  const sampleOnce = async (timestamp: number) => {
    const started = process.hrtime.bigint();
    const families = await scraper.scrape(ownFamilies());
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.samplingSeconds = seconds;
    const target = { ...options.target, labels: machineLabels() };
    const series = toTimeSeries([...families, ...scrapeFamilies(families, seconds)], target, timestamp);
    series.push(...staleness.markStale(series, timestamp));
    for (let i = 0; i < series.length; i += options.maxSamplesPerSend) {
      const chunk: TimeSeries[] = series.slice(i, i + options.maxSamplesPerSend);
      const payload = snappyCompress(encodeWriteRequest({ timeseries: chunk }));
      queue.append({ samples: chunk.length, oldestMs: timestamp, payload });
    }
    sender.notify();
  };

  // Ticks stay on the interval's grid, so a slow sampling delays one tick, not every later one.
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    const now = Date.now();
    const next = Math.ceil((now + 1) / options.intervalMs) * options.intervalMs;
    timer = setTimeout(() => {
      running = sampleOnce(next).catch((err: Error) =>
        log.error({ err: err.message }, 'sampling for remote_write failed'),
      );
      schedule();
    }, next - now);
  };
  schedule();
  log.info({ url: options.url, interval: options.intervalMs, queue: options.queue.dir }, 'remote_write enabled');

  return {
    families: () => metrics.families(queue.stats()),
    async stop() {
      clearTimeout(timer);
      await running;
      await sender.stop();
      client.close();
      queue.close();
    },
  };
}

/** The series Prometheus adds to every scrape of a target. */
function scrapeFamilies(families: MetricFamily[], seconds: number): MetricFamily[] {
  const samples = families.reduce((sum, family) => sum + family.samples.length, 0);
  return [
    gauge('up', 'The target is up.', single(1)),
    gauge('scrape_duration_seconds', 'Duration of the scrape.', single(seconds)),
    gauge('scrape_samples_scraped', 'Number of samples the target exposed.', single(samples)),
  ];
}
