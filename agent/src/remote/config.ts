// What remote access needs from the agent's flags, checked at start-up.

import { type FlagValuesOf, UsageError } from '@nester/common/config/flags';
import type { REMOTE_FLAGS } from '../config/flags';
import type { TerminalConfig } from './terminal-session';
import type { TlsTrust } from './tls';
import type { VncTarget } from './vnc-session';

export interface RemoteAccessConfig {
  stateDir: string;
  trust: TlsTrust;
  vnc: VncTarget;
  terminal: TerminalConfig & { enabled: boolean };
  labels: Record<string, string>;
}

export function remoteAccessConfig(
  values: FlagValuesOf<typeof REMOTE_FLAGS>,
  defaultStateDir: string,
): RemoteAccessConfig {
  const vnc = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/.exec(values['remote.vnc-address']);
  if (!vnc) throw new UsageError('--remote.vnc-address must be host:port, e.g. 127.0.0.1:5900');
  const labels = parseLabels(values['remote.label']);
  return {
    stateDir: values['remote.state-dir'] || defaultStateDir,
    trust: {
      caFile: values['remote.nester-ca'] || undefined,
      pinSha256: values['remote.nester-pin-sha256'] || undefined,
    },
    vnc: { host: vnc[1] ?? vnc[2], port: Number(vnc[3]) },
    terminal: {
      enabled: values['remote.terminal'],
      shell: values['remote.terminal-shell'] ?? '',
      user: values['remote.terminal-user'] ?? '',
    },
    labels,
  };
}

/** `--remote.label key=value` items (enrolment and serving read the same flag). */
export function parseLabels(items: readonly string[] | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--remote.label ${item} must be key=value`);
    labels[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return labels;
}
