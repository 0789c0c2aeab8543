import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeText } from '../exposition/text';
import { cpu, parseCpuTimes } from './cpu';
import { createCollector, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

/** The cpu<N> lines of /proc/stat, all the collector reads (user nice system idle given, in ticks of 1/100 s). */
const stat = (cpus: Record<number, string>) =>
  Object.entries(cpus)
    .map(([id, ticks]) => `cpu${id} ${ticks} 0 0 0 0 0 0\n`)
    .join('');

describe('cpu collector', () => {
  // vm: a real 2-CPU VM (steal time, no guests). laptop: a hand-built host running VMs (guest
  // time), with CPU 2 offline and per-thread throttle counters that differ between siblings.
  itMatchesNodeExporter('cpu');

  it('never lets a counter go backwards, and starts afresh as node_exporter 1.5.0 does', async () => {
    // Each step checked against node_exporter 1.5.0 given the same sequence of files.
    const paths = tempPaths({ stat: stat({ 0: '1000 0 0 1000', 1: '1000 0 0 1000' }) });
    const collectFn = createCollector(cpu, paths, ['--no-collector.cpu.guest']);
    const userIdle = async () =>
      writeText(await collectFn())
        .split('\n')
        .filter((line) => /mode="(user|idle)"/.test(line));
    const write = (cpus: Record<number, string>) => writeFileSync(join(paths.procfs, 'stat'), stat(cpus));

    expect(await userIdle()).toEqual([
      'node_cpu_seconds_total{cpu="0",mode="idle"} 10',
      'node_cpu_seconds_total{cpu="0",mode="user"} 10',
      'node_cpu_seconds_total{cpu="1",mode="idle"} 10',
      'node_cpu_seconds_total{cpu="1",mode="user"} 10',
    ]);
    write({ 0: '900 0 0 950', 1: '1000 0 0 1000' }); // a small regression is held back
    expect(await userIdle()).toEqual([
      'node_cpu_seconds_total{cpu="0",mode="idle"} 10',
      'node_cpu_seconds_total{cpu="0",mode="user"} 10',
      'node_cpu_seconds_total{cpu="1",mode="idle"} 10',
      'node_cpu_seconds_total{cpu="1",mode="user"} 10',
    ]);
    write({ 0: '900 0 0 950', 1: '500 0 0 600' }); // idle 4 s back: CPU 1 was replugged
    expect(await userIdle()).toEqual([
      'node_cpu_seconds_total{cpu="0",mode="idle"} 10',
      'node_cpu_seconds_total{cpu="0",mode="user"} 10',
      'node_cpu_seconds_total{cpu="1",mode="idle"} 6',
      'node_cpu_seconds_total{cpu="1",mode="user"} 5',
    ]);
    write({ 0: '900 0 0 950' }); // one CPU fewer: every CPU's history starts afresh
    expect(await userIdle()).toEqual([
      'node_cpu_seconds_total{cpu="0",mode="idle"} 9.5',
      'node_cpu_seconds_total{cpu="0",mode="user"} 9',
    ]);
  });

  it('reads ticks of 1/100 s and keeps guest time inside user time, as the kernel counts it', () => {
    const [times] = parseCpuTimes('cpu0 12345 2 3 4 5 6 7 8 901 10\n');
    expect(times).toEqual({
      user: 123.45,
      nice: 0.02,
      system: 0.03,
      idle: 0.04,
      iowait: 0.05,
      irq: 0.06,
      softirq: 0.07,
      steal: 0.08,
      guest: 9.01,
      guest_nice: 0.1,
    });
    // Kernels before 2.6.33 have no guest columns.
    expect(parseCpuTimes('cpu0 1 2 3 4 5 6 7 8\n')[0]).toMatchObject({ steal: 0.08, guest: 0, guest_nice: 0 });
  });

  it('refuses a malformed line and a CPU number no kernel has, naming them', () => {
    expect(() => parseCpuTimes('cpu0 1 2\n')).toThrow('malformed /proc/stat line: cpu0 1 2');
    expect(() => parseCpuTimes('cpu0 1 2 x 4\n')).toThrow('malformed /proc/stat cpu0: "x"');
    expect(() => parseCpuTimes('cpu4000000000 1 2 3 4\n')).toThrow('/proc/stat names CPU 4000000000');
  });
});
