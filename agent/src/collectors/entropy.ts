import { gauge, single } from '../metrics/family';
import { proc } from '../procfs/paths';
import { readOptional } from '../procfs/read';
import type { CollectorDefinition } from './collector';
import { collectAsYouGo } from './partial';

/** A /proc/sys/kernel/random counter; undefined when the kernel lacks the file. */
function readRandom(path: string): number | undefined {
  const text = readOptional(path);
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) throw new Error(`malformed ${path}: "${trimmed}"`);
  return Number(trimmed);
}

export const entropy: CollectorDefinition = {
  name: 'entropy',
  defaultEnabled: true,
  create:
    ({ paths }) =>
    () =>
      collectAsYouGo((out) => {
        const available = readRandom(proc(paths, 'sys/kernel/random/entropy_avail'));
        if (available === undefined) throw new Error("couldn't get entropy_avail");
        out.push(gauge('node_entropy_available_bits', 'Bits of available entropy.', single(available)));
        const poolSize = readRandom(proc(paths, 'sys/kernel/random/poolsize'));
        if (poolSize === undefined) throw new Error("couldn't get entropy poolsize");
        out.push(gauge('node_entropy_pool_size_bits', 'Bits of entropy pool.', single(poolSize)));
      }),
};
