// Every collector the agent knows, in node_exporter's alphabetical order.

import { arp } from './arp';
import type { CollectorDefinition } from './collector';
import { conntrack } from './conntrack';
import { cpu } from './cpu';
import { diskstats } from './diskstats';
import { entropy } from './entropy';
import { filefd } from './filefd';
import { filesystem } from './filesystem';
import { loadavg } from './loadavg';
import { meminfo } from './meminfo';
import { netclass } from './netclass';
import { netdev } from './netdev';
import { netstat } from './netstat';
import { os } from './os';
import { pressure } from './pressure';
import { schedstat } from './schedstat';
import { sockstat } from './sockstat';
import { softnet } from './softnet';
import { stat } from './stat';
import { time } from './time';
import { udpQueues } from './udp_queues';
import { uname } from './uname';
import { vmstat } from './vmstat';

export const COLLECTORS: CollectorDefinition[] = [
  arp,
  conntrack,
  cpu,
  diskstats,
  entropy,
  filefd,
  filesystem,
  loadavg,
  meminfo,
  netclass,
  netdev,
  netstat,
  os,
  pressure,
  schedstat,
  sockstat,
  softnet,
  stat,
  time,
  udpQueues,
  uname,
  vmstat,
].sort((a, b) => a.name.localeCompare(b.name));
