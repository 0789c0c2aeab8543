// uname(2) as labels. Node's os module makes the same call; only the NIS domain name is
// missing from it, and the kernel shows that one in /proc/sys/kernel/domainname.

import os from 'node:os';
import { gauge } from '../metrics/family';
import { readAttr } from '../procfs/read';
import type { CollectorDefinition } from './collector';

export interface Utsname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
  domainname: string;
}

export function currentUtsname(): Utsname {
  return {
    sysname: os.type(),
    nodename: os.hostname(),
    release: os.release(),
    version: os.version(),
    machine: os.machine(),
    // Not under --path.procfs: like uname(2), this is about the agent's own UTS namespace.
    domainname: readAttr('/proc/sys/kernel/domainname') ?? '(none)',
  };
}

export const uname: CollectorDefinition = {
  name: 'uname',
  defaultEnabled: true,
  create: () => () => [
    gauge('node_uname_info', 'Labeled system information as provided by the uname system call.', [
      { labels: { ...currentUtsname() }, value: 1 },
    ]),
  ],
};
