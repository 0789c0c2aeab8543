// Every collector the agent knows, in node_exporter's alphabetical order.

import { arp } from './arp';
import type { CollectorDefinition } from './collector';
import { selinux } from './selinux';
import { nvme } from './nvme';
import { edac } from './edac';
import { dmi } from './dmi';
import { bonding } from './bonding';
import { conntrack } from './conntrack';
import { cpu } from './cpu';
import { cpufreq } from './cpufreq';
import { diskstats } from './diskstats';
import { entropy } from './entropy';
import { filefd } from './filefd';
import { filesystem } from './filesystem';
import { hwmon } from './hwmon';
import { loadavg } from './loadavg';
import { meminfo } from './meminfo';
import { netclass } from './netclass';
import { netdev } from './netdev';
import { netstat } from './netstat';
import { os } from './os';
import { powersupplyclass } from './powersupplyclass';
import { pressure } from './pressure';
import { schedstat } from './schedstat';
import { sockstat } from './sockstat';
import { textfile } from './textfile';
import { softnet } from './softnet';
import { stat } from './stat';
import { thermalZone } from './thermal_zone';
import { time } from './time';
import { timex } from './timex';
import { udpQueues } from './udp_queues';
import { uname } from './uname';
import { vmstat } from './vmstat';

export const COLLECTORS: CollectorDefinition[] = [
  bonding,
  dmi,
  edac,
  nvme,
  selinux,
  arp,
  conntrack,
  cpu,
  cpufreq,
  diskstats,
  entropy,
  filefd,
  filesystem,
  hwmon,
  loadavg,
  meminfo,
  netclass,
  netdev,
  netstat,
  os,
  powersupplyclass,
  pressure,
  schedstat,
  sockstat,
  softnet,
  stat,
  textfile,
  thermalZone,
  time,
  timex,
  udpQueues,
  uname,
  vmstat,
].sort((a, b) => (a.name < b.name ? -1 : 1)); // not localeCompare: ICU collation data costs ~8 MB of RSS
