import { collect, collectText, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';
import { vmstat } from './vmstat';

describe('vmstat collector', () => {
  itMatchesNodeExporter('vmstat');

  it('keeps counters above 2^53 as node_exporter does (the nearest float64)', async () => {
    const text = await collectText(
      vmstat,
      tempPaths({ vmstat: 'pgfault 18446744073709551615\npgmajfault 9007199254740993\n' }),
    );
    expect(text).toBe(
      [
        '# HELP node_vmstat_pgfault /proc/vmstat information field pgfault.',
        '# TYPE node_vmstat_pgfault untyped',
        'node_vmstat_pgfault 1.8446744073709552e+19',
        '# HELP node_vmstat_pgmajfault /proc/vmstat information field pgmajfault.',
        '# TYPE node_vmstat_pgmajfault untyped',
        'node_vmstat_pgmajfault 9.007199254740992e+15',
        '',
      ].join('\n'),
    );
  });

  it('fails on a malformed line even outside the selected fields', async () => {
    await expect(collect(vmstat, tempPaths({ vmstat: 'nr_free_pages 12\nworkingset_nodes\n' }))).rejects.toThrow(
      /malformed line in .*vmstat: "workingset_nodes"/,
    );
    await expect(collect(vmstat, tempPaths({ vmstat: 'nr_free_pages twelve\n' }))).rejects.toThrow(/malformed/);
  });
});
