import { collectText, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';
import { meminfo, parseMeminfo } from './meminfo';

describe('meminfo collector', () => {
  itMatchesNodeExporter('meminfo');

  it('turns kB into bytes, keeps counts without a unit, and names fields as node_exporter does', async () => {
    const text = await collectText(
      meminfo,
      tempPaths({
        meminfo: ['MemTotal:        2048 kB', 'Active(anon):      12 kB', 'HugePages_Total:       5', ''].join('\n'),
      }),
    );
    expect(text).toBe(
      [
        '# HELP node_memory_Active_anon_bytes Memory information field Active_anon_bytes.',
        '# TYPE node_memory_Active_anon_bytes gauge',
        'node_memory_Active_anon_bytes 12288',
        '# HELP node_memory_HugePages_Total Memory information field HugePages_Total.',
        '# TYPE node_memory_HugePages_Total gauge',
        'node_memory_HugePages_Total 5',
        '# HELP node_memory_MemTotal_bytes Memory information field MemTotal_bytes.',
        '# TYPE node_memory_MemTotal_bytes gauge',
        'node_memory_MemTotal_bytes 2.097152e+06',
        '',
      ].join('\n'),
    );
  });

  it('fails on a line it cannot read, naming it', () => {
    expect(() => parseMeminfo('MemTotal: lots kB\n')).toThrow('invalid value in meminfo: MemTotal: lots kB');
    expect(() => parseMeminfo('MemTotal:\n')).toThrow('invalid value in meminfo: MemTotal:');
    expect(() => parseMeminfo('MemTotal: 1 kB extra\n')).toThrow('invalid line in meminfo: MemTotal: 1 kB extra');
  });
});
