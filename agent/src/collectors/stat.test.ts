import { collectText, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';
import { parseStat, stat } from './stat';

const STAT = [
  'cpu  2000 400 600 8000 100 12 14 16 180 20',
  'cpu0 2000 400 600 8000 100 12 14 16 180 20',
  'intr 5 0 3 2',
  'ctxt 7',
  'btime 1700000000',
  'processes 9',
  'procs_running 2',
  'procs_blocked 1',
  'softirq 55 1 2 3 4 5 6 7 8 9 10',
  '',
].join('\n');

describe('stat collector', () => {
  itMatchesNodeExporter('stat');

  it("takes the totals, and names the softirq columns in the kernel's order", async () => {
    // The same file gives the same values in node_exporter 1.5.0.
    const text = await collectText(stat, tempPaths({ stat: STAT }), ['--collector.stat.softirq']);
    expect(text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toEqual([
      'node_boot_time_seconds 1.7e+09',
      'node_context_switches_total 7',
      'node_forks_total 9',
      'node_intr_total 5',
      'node_procs_blocked 1',
      'node_procs_running 2',
      'node_softirqs_total{vector="block"} 5',
      'node_softirqs_total{vector="block_iopoll"} 6',
      'node_softirqs_total{vector="hi"} 1',
      'node_softirqs_total{vector="hrtimer"} 9',
      'node_softirqs_total{vector="net_rx"} 4',
      'node_softirqs_total{vector="net_tx"} 3',
      'node_softirqs_total{vector="rcu"} 10',
      'node_softirqs_total{vector="sched"} 8',
      'node_softirqs_total{vector="tasklet"} 7',
      'node_softirqs_total{vector="timer"} 2',
    ]);
  });

  it('fails on a missing or malformed line, naming it', () => {
    expect(() => parseStat(STAT.replace('btime 1700000000\n', ''))).toThrow('/proc/stat lacks the btime line');
    expect(() => parseStat(STAT.replace('ctxt 7', 'ctxt seven'))).toThrow('malformed /proc/stat ctxt: "seven"');
  });
});
