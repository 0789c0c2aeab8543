// The agent's flags: node_exporter's names and defaults, plus one switch per collector.

import { configFileFlag } from '@nester/common/config/file';
import { defineFlags, type FlagDef, type FlagDefs, type FlagValuesOf } from '@nester/common/config/flags';
import type { CollectorDefinition } from '../collectors/collector';

export const SERVE_FLAGS = defineFlags({
  ...configFileFlag('HARVESTER_CONFIG'),
  'web.listen-address': {
    type: 'list',
    help: 'Addresses on which to expose metrics and web interface. Repeatable.',
    default: [':9100'],
    env: 'HARVESTER_LISTEN_ADDRESS',
  },
  'web.telemetry-path': { type: 'string', help: 'Path under which to expose metrics.', default: '/metrics' },
  'web.disable-exporter-metrics': {
    type: 'boolean',
    help: 'Exclude metrics about the exporter itself (process_*, nodejs_*).',
    default: false,
  },
  'web.max-requests': {
    type: 'number',
    help: 'Maximum number of parallel scrape requests. Use 0 to disable.',
    default: 40,
  },
  'path.procfs': { type: 'string', help: 'procfs mountpoint.', default: '/proc' },
  'path.sysfs': { type: 'string', help: 'sysfs mountpoint.', default: '/sys' },
  'path.rootfs': { type: 'string', help: 'rootfs mountpoint.', default: '/' },
  'path.udev.data': { type: 'string', help: 'udev data path.', default: '/run/udev/data' },
  'collector.disable-defaults': {
    type: 'boolean',
    help: 'Set all collectors to disabled by default.',
    default: false,
  },
  'log.level': { type: 'string', help: 'Only log messages with the given severity or above.', default: 'info' },
});

/** Remote access (nester): where the enrolment lives, how to trust nester, what to offer. */
export const REMOTE_FLAGS = defineFlags({
  'remote.state-dir': {
    type: 'string',
    help: 'Where `harvester enroll` keeps the nester credential (default: /var/lib/harvester as root, else ~/.local/state/harvester).',
    env: 'HARVESTER_STATE_DIR',
  },
  'remote.enabled': {
    type: 'boolean',
    help: 'Connect to nester for remote access when enrolled.',
    default: true,
  },
  'remote.nester-ca': {
    type: 'string',
    help: "CA file to verify nester's TLS certificate (default: as given at enrolment, else the system CAs).",
  },
  'remote.nester-pin-sha256': {
    type: 'string',
    help: "SHA-256 fingerprint nester's certificate must have (default: as given at enrolment).",
  },
  'remote.vnc-address': {
    type: 'string',
    help: 'Local VNC server that remote desktop sessions reach.',
    default: '127.0.0.1:5900',
  },
  'remote.terminal': {
    type: 'boolean',
    help: 'Allow terminal sessions (a shell on this machine) through nester.',
    default: false,
  },
  'remote.terminal-shell': {
    type: 'string',
    help: "Shell for terminal sessions (default: the user's login shell).",
  },
  'remote.terminal-user': {
    type: 'string',
    help: 'Account terminal sessions run as (default: the account the agent runs as).',
  },
  'remote.label': { type: 'list', help: 'key=value label reported to nester for this machine. Repeatable.' },
});

/**
 * Each collector's switch (`--[no-]collector.<name>`, unset unless given) and its own flags
 * (`collector.<name>.<option>`), known only at run time: their values are read as
 * `FlagValue | undefined`, or typed through the collector's declaration (defineCollector).
 */
export type CollectorFlagDefs = { readonly [name: `collector.${string}`]: FlagDef };

export function collectorFlags(collectors: readonly CollectorDefinition[]): CollectorFlagDefs {
  const defs: Record<`collector.${string}`, FlagDef> = {};
  for (const collector of collectors) {
    defs[`collector.${collector.name}`] = {
      type: 'boolean',
      help: `Enable the ${collector.name} collector (default: ${collector.defaultEnabled ? 'enabled' : 'disabled'}).`,
    };
    Object.assign(defs, collector.flags);
  }
  return defs;
}

/** `defs` and the collectors' flags, in that order: what the agent parses. */
export function withCollectorFlags<const D extends FlagDefs>(
  defs: D,
  collectors: readonly CollectorDefinition[],
): D & CollectorFlagDefs {
  return { ...defs, ...collectorFlags(collectors) };
}

/** The values of an agent parse (SERVE_FLAGS and the collectors' flags, at least). */
export type ScrapeFlagValues = FlagValuesOf<typeof SERVE_FLAGS & CollectorFlagDefs>;
