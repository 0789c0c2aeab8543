// Flags of the remote_write side of the agent (off unless --push.url is set).

import type { FlagSpec, FlagValues } from '@nester/common/config/flags';
import { UsageError } from '@nester/common/config/flags';
import { hostname } from 'node:os';
import type { PushOptions } from '../push/pipeline';
import { parseListenAddress } from '@nester/common/config/listen';
import { VERSION } from '../version';

export const PUSH_FLAGS: FlagSpec[] = [
  {
    name: 'push.url',
    type: 'string',
    help: 'Prometheus remote_write endpoint to push samples to (e.g. http://adapter:9201/api/v1/write). Push is off when empty.',
    env: 'HARVESTER_PUSH_URL',
  },
  {
    name: 'push.bearer-token-file',
    type: 'string',
    help: 'File holding the bearer token for the remote_write endpoint (read at each request).',
    env: 'HARVESTER_PUSH_BEARER_TOKEN_FILE',
  },
  { name: 'push.tls.ca-file', type: 'string', help: 'CA certificate(s) to verify an https remote_write endpoint.' },
  { name: 'push.interval', type: 'duration', help: 'How often to sample the collectors.', default: '15s' },
  { name: 'push.timeout', type: 'duration', help: 'Timeout of one remote_write request.', default: '30s' },
  { name: 'push.job', type: 'string', help: 'The job label of pushed series, as a scrape job name.', default: 'node' },
  {
    name: 'push.instance',
    type: 'string',
    help: 'The instance label of pushed series (default: <hostname>:<port of the first listen address>, as a scrape of this agent would set it).',
  },
  {
    name: 'push.max-samples-per-send',
    type: 'number',
    help: 'Maximum samples per request (Prometheus 2.44+ sends 2000).',
    default: 2000,
  },
  { name: 'push.min-backoff', type: 'duration', help: 'First retry delay after a failed request.', default: '30ms' },
  { name: 'push.max-backoff', type: 'duration', help: 'Longest retry delay.', default: '10s' },
  {
    name: 'push.queue.dir',
    type: 'string',
    help: 'Directory of the on-disk queue of unsent samples.',
    default: '/var/lib/harvester/remote-write',
    env: 'HARVESTER_PUSH_QUEUE_DIR',
  },
  {
    name: 'push.queue.max-size',
    type: 'bytes',
    help: 'Size bound of the queue; beyond it the oldest unsent samples are dropped (and counted).',
    default: '256MiB',
  },
  { name: 'push.queue.segment-size', type: 'bytes', help: 'Size of one queue segment file.', default: '4MiB' },
  {
    name: 'push.queue.fsync',
    type: 'string',
    help: 'When queued samples are forced to disk: always (after each append; survives power loss) or never (left to the OS; survives a crash of the agent).',
    default: 'always',
  },
];

export function pushOptions(values: FlagValues): PushOptions | undefined {
  const url = values['push.url'] as string | undefined;
  if (!url) return undefined;
  const fsync = values['push.queue.fsync'];
  if (fsync !== 'always' && fsync !== 'never')
    throw new UsageError(`--push.queue.fsync must be always or never, not "${fsync}"`);
  const maxSamples = values['push.max-samples-per-send'] as number;
  if (!Number.isInteger(maxSamples) || maxSamples < 1)
    throw new UsageError('--push.max-samples-per-send must be a positive integer');
  const listen = parseListenAddress((values['web.listen-address'] as string[])[0] ?? ':9100');
  return {
    url,
    bearerTokenFile: values['push.bearer-token-file'] as string | undefined,
    caFile: values['push.tls.ca-file'] as string | undefined,
    intervalMs: values['push.interval'] as number,
    timeoutMs: values['push.timeout'] as number,
    target: {
      job: values['push.job'] as string,
      instance: (values['push.instance'] as string | undefined) ?? `${hostname()}:${listen.port}`,
    },
    maxSamplesPerSend: maxSamples,
    minBackoffMs: values['push.min-backoff'] as number,
    maxBackoffMs: values['push.max-backoff'] as number,
    queue: {
      dir: values['push.queue.dir'] as string,
      maxBytes: values['push.queue.max-size'] as number,
      segmentBytes: values['push.queue.segment-size'] as number,
      fsync,
    },
    userAgent: `harvester/${VERSION}`,
  };
}
