// Resource use of another process, from /proc (Linux), for benchmarks: CPU time, RSS and
// /proc/<pid>/status fields. One parser for every benchmark that compares processes.

import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

export interface ProcessStat {
  /** user + system CPU time, ms. */
  cpuMs: number;
  /** CPU time of its children that have exited and been reaped, ms. */
  reapedChildrenCpuMs: number;
  rssBytes: number;
}

export function processStat(pid: number): ProcessStat {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ms = (ticks: string) => Number(ticks) * (1000 / TICKS_PER_SECOND);
  return {
    cpuMs: ms(fields[11]) + ms(fields[12]),
    reapedChildrenCpuMs: ms(fields[13]) + ms(fields[14]),
    rssBytes: Number(fields[21]) * PAGE_BYTES,
  };
}

/** CPU time (ms) of a process, its reaped children and its live descendants. */
export function processTreeCpuMs(pid: number): number {
  let stat: ProcessStat;
  try {
    stat = processStat(pid);
  } catch {
    return 0; // gone meanwhile: its time is in its parent's reaped-children time
  }
  return (
    stat.cpuMs + stat.reapedChildrenCpuMs + childPids(pid).reduce((sum, child) => sum + processTreeCpuMs(child), 0)
  );
}

/** A `kB` field of /proc/<pid>/status (VmRSS, VmHWM…), in KiB. */
export function processStatusKib(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Busy CPU time of the whole machine (all cores: user, system, interrupts, steal), ms. */
export function machineBusyCpuMs(): number {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .split(/\s+/);
  return (
    [user, nice, system, irq, softirq, steal].reduce((sum, ticks) => sum + Number(ticks), 0) * (1000 / TICKS_PER_SECOND)
  );
}
