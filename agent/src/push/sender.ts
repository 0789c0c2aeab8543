// Drains the disk queue into the receiver, strictly oldest first (receivers such as Prometheus
// refuse a series' samples out of order), one request in flight. Records are merged up to
// max-samples-per-send, which makes catching up after an outage fast; back-off with jitter on
// failures keeps a fleet of agents from stampeding a receiver that just came back.

import type { Logger } from '@nester/common/log/logger';
import { snappyCompress, snappyUncompress } from '@nester/common/prompb/snappy';
import { Backoff } from '../retry/backoff';
import type { RemoteWriteClient, SendOutcome } from './client';
import type { PushMetrics } from './metrics';
import type { Batch, DiskQueue } from './queue/disk-queue';

export interface SenderOptions {
  queue: DiskQueue;
  client: RemoteWriteClient;
  maxSamplesPerSend: number;
  backoff: Backoff;
  metrics: PushMetrics;
  log: Logger;
}

export class Sender {
  private wakeUp?: () => void;
  private stopped = false;
  private lastRetryReason?: string;
  private readonly done: Promise<void>;

  constructor(private readonly options: SenderOptions) {
    this.done = this.run();
  }

  /** New records were queued. */
  notify(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.done;
  }

  /** Never rejects: an unexpected failure (the disk, say) is logged and retried after a back-off. */
  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.drain();
      } catch (err) {
        this.options.log.error({ err: (err as Error).message }, 'remote_write sending failed; retrying');
        await this.sleep(this.options.backoff.next());
      }
    }
  }

  private async drain(): Promise<void> {
    const { queue, maxSamplesPerSend } = this.options;
    // After a refusal of a merged request, records are resent one by one, so that one bad
    // record does not take its neighbours down with it.
    let isolate = 0;
    while (!this.stopped) {
      const batch = queue.peek(isolate > 0 ? 0 : maxSamplesPerSend);
      if (!batch) {
        await this.sleep();
        continue;
      }
      const outcome = await this.send(batch);
      if (outcome.kind === 'retry') {
        await this.sleep(this.options.backoff.next(outcome.retryAfterMs));
        continue;
      }
      this.options.backoff.reset();
      if (outcome.kind === 'refused' && batch.payloads.length > 1) {
        isolate = batch.payloads.length;
        continue;
      }
      queue.ack(batch.next);
      if (isolate > 0) isolate--;
    }
  }

  private async send(batch: Batch): Promise<SendOutcome> {
    const { client, metrics, log } = this.options;
    let body: Buffer;
    try {
      body = batch.payloads.length === 1 ? batch.payloads[0] : merge(batch.payloads);
    } catch (err) {
      // A record that is not valid snappy (written by someone else, its checksum forged or lucky):
      // resent on its own, as it is, the receiver refuses it and its neighbours go through.
      return { kind: 'refused', status: 0, reason: `a queued record cannot be merged: ${(err as Error).message}` };
    }
    const started = process.hrtime.bigint();
    const outcome = await client.send(body);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.request('status' in outcome && outcome.status ? String(outcome.status) : 'error', seconds);
    if (outcome.kind === 'accepted') {
      metrics.sent += batch.samples;
      if (this.lastRetryReason) log.info({ samples: batch.samples }, 'remote_write receiver accepts samples again');
      this.lastRetryReason = undefined;
    } else if (outcome.kind === 'retry') {
      metrics.retried += batch.samples;
      if (outcome.reason !== this.lastRetryReason) {
        log.warn(
          { status: outcome.status, reason: outcome.reason },
          'remote_write failed; samples stay queued and will be retried',
        );
      }
      this.lastRetryReason = outcome.reason;
    } else if (batch.payloads.length === 1) {
      metrics.failed += batch.samples;
      log.error(
        { status: outcome.status, reason: outcome.reason, samples: batch.samples },
        'remote_write receiver refused samples; they will not be retried',
      );
    }
    return outcome;
  }

  private sleep(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(wake, ms);
      function wake() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = wake;
    });
  }
}

/**
 * Several queued requests as one: a WriteRequest is only `repeated TimeSeries`, and protobuf
 * reads concatenated messages as one message with the repeated fields appended.
 */
export function merge(payloads: Buffer[]): Buffer {
  return snappyCompress(Buffer.concat(payloads.map((payload) => snappyUncompress(payload))));
}
