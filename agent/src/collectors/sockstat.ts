// Socket counts and memory by protocol, from /proc/net/sockstat and /proc/net/sockstat6.

import { gauge, type MetricFamily, single } from '../metrics/family';
import { pageSize } from '../procfs/pagesize';
import { proc } from '../procfs/paths';
import { lines, parseGoInt, readOptional } from '../procfs/read';
import type { CollectorDefinition } from './collector';

export interface Sockstat {
  used?: number;
  protocols: { protocol: string; values: Map<string, number> }[];
}

/** The keys node_exporter exports, in its order; `inuse` defaults to 0 when missing. */
const KEYS = ['inuse', 'orphan', 'tw', 'alloc', 'mem', 'memory'];

export function parseSockstat(text: string, path: string): Sockstat {
  const stat: Sockstat = { protocols: [] };
  for (const line of lines(text)) {
    const parts = line.split(' ');
    if (parts.length < 3)
      throw new Error(`failed to read sockstats from "${path}": malformed sockstat line: "${line}"`);
    if ((parts.length - 1) % 2 !== 0) {
      throw new Error(`failed to read sockstats from "${path}": odd number of fields in key/value pairs: "${line}"`);
    }
    const values = new Map<string, number>();
    for (let i = 1; i < parts.length; i += 2) {
      const value = parseGoInt(parts[i + 1]);
      if (value === undefined) throw new Error(`failed to read sockstats from "${path}": bad value in "${line}"`);
      values.set(parts[i], value);
    }
    const protocol = parts[0].endsWith(':') ? parts[0].slice(0, -1) : parts[0];
    if (protocol === 'sockets') stat.used = values.get('used') ?? 0;
    else stat.protocols.push({ protocol, values });
  }
  return stat;
}

function families(stat: Sockstat, ipv6: boolean, page: number): MetricFamily[] {
  const out: MetricFamily[] = [];
  if (!ipv6 && stat.used !== undefined) {
    out.push(gauge('node_sockstat_sockets_used', 'Number of IPv4 sockets in use.', single(stat.used)));
  }
  for (const { protocol, values } of stat.protocols) {
    const emit = (key: string, value: number) =>
      out.push(
        gauge(`node_sockstat_${protocol}_${key}`, `Number of ${protocol} sockets in state ${key}.`, single(value)),
      );
    for (const key of KEYS) {
      const value = values.get(key);
      if (value !== undefined) emit(key, value);
      else if (key === 'inuse') emit(key, 0);
    }
    // `mem` is counted in pages.
    const mem = values.get('mem');
    if (mem !== undefined) emit('mem_bytes', mem * page);
  }
  return out;
}

export const sockstat: CollectorDefinition = {
  name: 'sockstat',
  defaultEnabled: true,
  create: ({ paths }) => {
    const page = pageSize();
    return () => {
      // Either file is missing when its IP version is disabled in the kernel.
      const out: MetricFamily[] = [];
      const v4Path = proc(paths, 'net/sockstat');
      const v4 = readOptional(v4Path);
      if (v4 !== undefined) out.push(...families(parseSockstat(v4, v4Path), false, page));
      const v6Path = proc(paths, 'net/sockstat6');
      const v6 = readOptional(v6Path);
      if (v6 !== undefined) out.push(...families(parseSockstat(v6, v6Path), true, page));
      return out;
    };
  },
};
