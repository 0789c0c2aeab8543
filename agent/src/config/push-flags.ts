// Flags of the remote_write side of the agent (off unless --push.url is set).

import { defineFlags, type FlagValuesOf, UsageError } from '@nester/common/config/flags';
import { hostname } from 'node:os';
import type { PushOptions } from '../push/pipeline';
import { parseListenAddress } from '@nester/common/config/listen';
import { VERSION } from '../version';
import type { SERVE_FLAGS } from './flags';

export const PUSH_FLAGS = defineFlags({
  'push.url': {
    type: 'string',
    help: 'Prometheus remote_write endpoint to push samples to (e.g. http://adapter:9201/api/v1/write). Push is off when empty.',
    env: 'HARVESTER_PUSH_URL',
  },
  'push.bearer-token-file': {
    type: 'string',
    help: 'File holding the bearer token for the remote_write endpoint (read at each request).',
    env: 'HARVESTER_PUSH_BEARER_TOKEN_FILE',
  },
  'push.tls.ca-file': { type: 'string', help: 'CA certificate(s) to verify an https remote_write endpoint.' },
  'push.interval': { type: 'duration', help: 'How often to sample the collectors.', default: '15s' },
  'push.timeout': { type: 'duration', help: 'Timeout of one remote_write request.', default: '30s' },
  'push.job': { type: 'string', help: 'The job label of pushed series, as a scrape job name.', default: 'node' },
  'push.instance': {
    type: 'string',
    help: 'The instance label of pushed series (default: <hostname>:<port of the first listen address>, as a scrape of this agent would set it).',
  },
  'push.harvester-id-label': {
    type: 'string',
    help: "Label carrying this machine's harvester id (from its enrolment) on every pushed series; empty: none. Fleet pages select by it.",
    default: 'harvester_id',
  },
  'push.max-samples-per-send': {
    type: 'number',
    help: 'Maximum samples per request (Prometheus 2.44+ sends 2000).',
    default: 2000,
  },
  'push.min-backoff': { type: 'duration', help: 'First retry delay after a failed request.', default: '30ms' },
  'push.max-backoff': { type: 'duration', help: 'Longest retry delay.', default: '10s' },
  'push.queue.dir': {
    type: 'string',
    help: 'Directory of the on-disk queue of unsent samples.',
    default: '/var/lib/harvester/remote-write',
    env: 'HARVESTER_PUSH_QUEUE_DIR',
  },
  'push.queue.max-size': {
    type: 'bytes',
    help: 'Size bound of the queue; beyond it the oldest unsent samples are dropped (and counted).',
    default: '256MiB',
  },
  'push.queue.segment-size': { type: 'bytes', help: 'Size of one queue segment file.', default: '4MiB' },
  'push.queue.fsync': {
    type: 'string',
    help: 'When queued samples are forced to disk: always (after each append; survives power loss) or never (left to the OS; survives a crash of the agent).',
    default: 'always',
  },
});

/** What pushOptions reads: the push flags, and the listen address that names the instance. */
export type PushFlagValues = FlagValuesOf<typeof PUSH_FLAGS & Pick<typeof SERVE_FLAGS, 'web.listen-address'>>;

export function pushOptions(values: PushFlagValues): PushOptions | undefined {
  const url = values['push.url'];
  if (!url) return undefined;
  const fsync = values['push.queue.fsync'];
  if (fsync !== 'always' && fsync !== 'never')
    throw new UsageError(`--push.queue.fsync must be always or never, not "${fsync}"`);
  const maxSamples = values['push.max-samples-per-send'];
  if (!Number.isInteger(maxSamples) || maxSamples < 1)
    throw new UsageError('--push.max-samples-per-send must be a positive integer');
  const listen = parseListenAddress(values['web.listen-address'][0] ?? ':9100');
  return {
    url,
    bearerTokenFile: values['push.bearer-token-file'],
    caFile: values['push.tls.ca-file'],
    intervalMs: values['push.interval'],
    timeoutMs: values['push.timeout'],
    target: {
      job: values['push.job'],
      instance: values['push.instance'] ?? `${hostname()}:${listen.port}`,
    },
    harvesterIdLabel: harvesterIdLabel(values['push.harvester-id-label']),
    maxSamplesPerSend: maxSamples,
    minBackoffMs: values['push.min-backoff'],
    maxBackoffMs: values['push.max-backoff'],
    queue: {
      dir: values['push.queue.dir'],
      maxBytes: values['push.queue.max-size'],
      segmentBytes: values['push.queue.segment-size'],
      fsync,
    },
    userAgent: `harvester/${VERSION}`,
  };
}

/** The harvester id label must be a label name Prometheus accepts and not one a scrape sets. */
export function harvesterIdLabel(name: string): string {
  if (name === '') return '';
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || name.startsWith('__') || name === 'job' || name === 'instance')
    throw new UsageError(
      `--push.harvester-id-label must be a Prometheus label name other than job, instance and __*, not "${name}"`,
    );
  return name;
}
