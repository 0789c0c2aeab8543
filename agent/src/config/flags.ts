// The agent's flags: node_exporter's names and defaults, plus one switch per collector.

import type { FlagSpec } from '@nester/common/config/flags';
import type { CollectorDefinition } from '../collectors/collector';

export const SERVE_FLAGS: FlagSpec[] = [
  { name: 'config.file', type: 'string', help: 'YAML file whose keys are flag names.', env: 'HARVESTER_CONFIG' },
  {
    name: 'web.listen-address',
    type: 'list',
    help: 'Addresses on which to expose metrics and web interface. Repeatable.',
    default: [':9100'],
    env: 'HARVESTER_LISTEN_ADDRESS',
  },
  { name: 'web.telemetry-path', type: 'string', help: 'Path under which to expose metrics.', default: '/metrics' },
  {
    name: 'web.disable-exporter-metrics',
    type: 'boolean',
    help: 'Exclude metrics about the exporter itself (process_*, nodejs_*).',
    default: false,
  },
  {
    name: 'web.max-requests',
    type: 'number',
    help: 'Maximum number of parallel scrape requests. Use 0 to disable.',
    default: 40,
  },
  { name: 'path.procfs', type: 'string', help: 'procfs mountpoint.', default: '/proc' },
  { name: 'path.sysfs', type: 'string', help: 'sysfs mountpoint.', default: '/sys' },
  { name: 'path.rootfs', type: 'string', help: 'rootfs mountpoint.', default: '/' },
  { name: 'path.udev.data', type: 'string', help: 'udev data path.', default: '/run/udev/data' },
  {
    name: 'collector.disable-defaults',
    type: 'boolean',
    help: 'Set all collectors to disabled by default.',
    default: false,
  },
  { name: 'log.level', type: 'string', help: 'Only log messages with the given severity or above.', default: 'info' },
];

/** Remote access (nester): where the enrolment lives, how to trust nester, what to offer. */
export const REMOTE_FLAGS: FlagSpec[] = [
  {
    name: 'remote.state-dir',
    type: 'string',
    help: 'Where `harvester enroll` keeps the nester credential (default: /var/lib/harvester as root, else ~/.local/state/harvester).',
    env: 'HARVESTER_STATE_DIR',
  },
  {
    name: 'remote.enabled',
    type: 'boolean',
    help: 'Connect to nester for remote access when enrolled.',
    default: true,
  },
  {
    name: 'remote.nester-ca',
    type: 'string',
    help: "CA file to verify nester's TLS certificate (default: as given at enrolment, else the system CAs).",
  },
  {
    name: 'remote.nester-pin-sha256',
    type: 'string',
    help: "SHA-256 fingerprint nester's certificate must have (default: as given at enrolment).",
  },
  {
    name: 'remote.vnc-address',
    type: 'string',
    help: 'Local VNC server that remote desktop sessions reach.',
    default: '127.0.0.1:5900',
  },
  {
    name: 'remote.terminal',
    type: 'boolean',
    help: 'Allow terminal sessions (a shell on this machine) through nester.',
    default: false,
  },
  {
    name: 'remote.terminal-shell',
    type: 'string',
    help: "Shell for terminal sessions (default: the user's login shell).",
  },
  {
    name: 'remote.terminal-user',
    type: 'string',
    help: 'Account terminal sessions run as (default: the account the agent runs as).',
  },
  { name: 'remote.label', type: 'list', help: 'key=value label reported to nester for this machine. Repeatable.' },
];

export function collectorFlags(collectors: CollectorDefinition[]): FlagSpec[] {
  return collectors.flatMap((collector) => [
    {
      name: `collector.${collector.name}`,
      type: 'boolean' as const,
      help: `Enable the ${collector.name} collector (default: ${collector.defaultEnabled ? 'enabled' : 'disabled'}).`,
    },
    ...(collector.flags ?? []),
  ]);
}
