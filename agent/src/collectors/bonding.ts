// Bonding interfaces: configured and active (MII up) slaves per master.

import { join } from 'node:path';
import { gauge, type Sample } from '../metrics/family';
import { sys } from '../procfs/paths';
import { fields, isNotFound, readText } from '../procfs/read';
import { type CollectorDefinition, NoDataError } from './collector';

export function readBondingStats(root: string): Map<string, [slaves: number, active: number]> {
  const stats = new Map<string, [number, number]>();
  for (const master of fields(readText(join(root, 'bonding_masters')))) {
    const counts: [number, number] = [0, 0];
    for (const slave of fields(readText(join(root, master, 'bonding', 'slaves')))) {
      let state: string;
      try {
        state = readText(join(root, master, `lower_${slave}`, 'bonding_slave', 'mii_status'));
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // Older kernels name the link slave_<name>.
        state = readText(join(root, master, `slave_${slave}`, 'bonding_slave', 'mii_status'));
      }
      counts[0]++;
      if (state.trim() === 'up') counts[1]++;
    }
    stats.set(master, counts);
  }
  return stats;
}

export const bonding: CollectorDefinition = {
  name: 'bonding',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () => {
      const root = sys(paths, 'class/net');
      let stats: Map<string, [number, number]>;
      try {
        stats = readBondingStats(root);
      } catch (err) {
        if (isNotFound(err))
          throw new NoDataError(`Not collecting bonding, file does not exist: ${(err as Error).message}`);
        throw err;
      }
      const slaves: Sample[] = [];
      const active: Sample[] = [];
      for (const [master, [configured, up]] of stats) {
        slaves.push({ labels: { master }, value: configured });
        active.push({ labels: { master }, value: up });
      }
      return [
        gauge('node_bonding_slaves', 'Number of configured slaves per bonding interface.', slaves),
        gauge('node_bonding_active', 'Number of active slaves per bonding interface.', active),
      ];
    },
};
