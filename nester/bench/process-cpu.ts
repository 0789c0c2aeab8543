// CPU time of a process and its live descendants, from /proc (Linux), in milliseconds. Used
// to charge each relay path for the CPU its own bridge processes spent, including websockify's
// per-connection children.

import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

export function processTreeCpuMs(pid: number): number {
  return ticks(pid) * (1000 / TICKS_PER_SECOND);
}

function ticks(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0; // gone meanwhile: its time is in its parent's cutime once reaped
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, and the reaped children's cutime, cstime
  const own = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  return own + children(pid).reduce((sum, child) => sum + ticks(child), 0);
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
