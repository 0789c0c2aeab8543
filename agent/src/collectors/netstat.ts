// Protocol counters from /proc/net/netstat, /proc/net/snmp and /proc/net/snmp6, untyped as
// node_exporter exposes them, filtered by --collector.netstat.fields.

import { type MetricFamily, single, untyped } from '../metrics/family';
import { proc } from '../procfs/paths';
import { fields, lines, parseFloat64, readOptional, readText } from '../procfs/read';
import { defineCollector } from './collector';
import { compilePattern } from './pattern';

const DEFAULT_FIELDS =
  '^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$';

/** protocol -> field -> raw value text */
export type ProtocolStats = Map<string, Map<string, string>>;

/** The header/value line pairs of /proc/net/netstat and /proc/net/snmp. */
export function parseNetStats(text: string, path: string): ProtocolStats {
  const stats: ProtocolStats = new Map();
  const all = lines(text);
  for (let i = 0; i < all.length; i += 2) {
    const names = all[i].split(' ');
    const values = (all[i + 1] ?? '').split(' ');
    const protocol = names[0].slice(0, -1);
    if (names.length !== values.length) throw new Error(`mismatch field count mismatch in ${path}: ${protocol}`);
    const protocolStats = new Map<string, string>();
    for (let j = 1; j < names.length; j++) protocolStats.set(names[j], values[j]);
    stats.set(protocol, protocolStats);
  }
  return stats;
}

/** /proc/net/snmp6: `Ip6InReceives  12` lines, the protocol being the name up to its "6". */
export function parseSnmp6(text: string): ProtocolStats {
  const stats: ProtocolStats = new Map();
  for (const line of lines(text)) {
    const parts = fields(line);
    if (parts.length < 2) continue;
    const six = parts[0].indexOf('6');
    if (six < 0) continue;
    const protocol = parts[0].slice(0, six + 1);
    let protocolStats = stats.get(protocol);
    if (!protocolStats) stats.set(protocol, (protocolStats = new Map<string, string>()));
    protocolStats.set(parts[0].slice(six + 1), parts[1]);
  }
  return stats;
}

export const netstat = defineCollector({
  name: 'netstat',
  defaultEnabled: true,
  flags: {
    'collector.netstat.fields': {
      type: 'string',
      help: 'Regexp of fields to return for netstat collector.',
      default: DEFAULT_FIELDS,
    },
  },
  create: ({ paths, flags }) => {
    const wanted = compilePattern('collector.netstat.fields', flags['collector.netstat.fields']);
    return () => {
      const netstatPath = proc(paths, 'net/netstat');
      const snmpPath = proc(paths, 'net/snmp');
      const all = parseNetStats(readText(netstatPath), netstatPath);
      for (const [protocol, stats] of parseNetStats(readText(snmpPath), snmpPath)) all.set(protocol, stats);
      // Absent when IPv6 is disabled.
      const snmp6 = readOptional(proc(paths, 'net/snmp6'));
      if (snmp6 !== undefined) for (const [protocol, stats] of parseSnmp6(snmp6)) all.set(protocol, stats);

      const families: MetricFamily[] = [];
      for (const [protocol, stats] of all) {
        for (const [name, text] of stats) {
          const value = parseFloat64(text, `netstats value of ${protocol} ${name}`);
          const key = `${protocol}_${name}`;
          if (!wanted.test(key)) continue;
          families.push(untyped(`node_netstat_${key}`, `Statistic ${protocol}${name}.`, single(value)));
        }
      }
      return families;
    };
  },
});
