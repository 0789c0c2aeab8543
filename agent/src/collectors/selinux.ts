// SELinux state as the opencontainers/selinux library reports it to node_exporter: enabled
// when selinuxfs is mounted and this process runs under a label other than "kernel".
// Like that library, it reads the agent's own /sys, /proc and /etc, not the --path.* trees.

import { gauge, type MetricFamily, single } from '../metrics/family';
import { readAttr, readOptional } from '../procfs/read';
import type { CollectorDefinition } from './collector';

export interface SelinuxFiles {
  enforce: string;
  currentLabel: string;
  config: string;
}

const FILES: SelinuxFiles = {
  enforce: '/sys/fs/selinux/enforce',
  currentLabel: '/proc/self/attr/current',
  config: '/etc/selinux/config',
};

/** SELINUX= of /etc/selinux/config: enforcing 1, permissive 0, anything else -1. */
function configuredMode(path: string): number {
  let text: string | undefined;
  try {
    text = readOptional(path);
  } catch {
    text = undefined;
  }
  const line = (text ?? '').split('\n').find((entry) => entry.trim().startsWith('SELINUX='));
  const mode = line?.trim().slice('SELINUX='.length).replace(/^"|"$/g, '');
  return mode === 'enforcing' ? 1 : mode === 'permissive' ? 0 : -1;
}

export function selinuxFamilies(files: SelinuxFiles): MetricFamily[] {
  const enforce = readAttr(files.enforce)?.trim();
  const label = readAttr(files.currentLabel)?.replace(/\0+$/, '').trim();
  const enabled = enforce !== undefined && label !== undefined && label !== '' && label !== 'kernel';
  const families = [
    gauge('node_selinux_enabled', 'SELinux is enabled, 1 is true, 0 is false', single(enabled ? 1 : 0)),
  ];
  if (enabled) {
    families.push(
      gauge('node_selinux_config_mode', 'Configured SELinux enforcement mode', single(configuredMode(files.config))),
      gauge('node_selinux_current_mode', 'Current SELinux enforcement mode', single(enforce === '1' ? 1 : 0)),
    );
  }
  return families;
}

export const selinux: CollectorDefinition = {
  name: 'selinux',
  defaultEnabled: true,
  create: () => () => selinuxFamilies(FILES),
};
