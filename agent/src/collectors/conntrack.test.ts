import { PartialError } from './collector';
import { conntrack, parseConntrackStat } from './conntrack';
import { collect, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

const HEADER =
  'entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart\n';
const row = (found: string) =>
  `00000010  00000000 ${found} 00000000 00000001 00000002 00000000 00000000 00000003 00000004 00000005 00000006 00000000  00000000 00000000 00000000 ffffffff\n`;

describe('conntrack collector', () => {
  itMatchesNodeExporter('conntrack');

  it('sums the per-CPU hexadecimal rows', () => {
    const sums = parseConntrackStat(HEADER + row('0000000a') + row('ffffffff'), 'stat');
    expect(sums[2]).toBe(10 + 0xffffffff);
    expect(sums[16]).toBe(2 * 0xffffffff);
  });

  it('fails on a short row, naming the file', () => {
    expect(() => parseConntrackStat(`${HEADER}00000001 00000002\n`, '/proc/net/stat/nf_conntrack')).toThrow(
      /nf_conntrack.*missing fields/,
    );
  });

  it('reports no data when the module is not loaded', async () => {
    await expect(collect(conntrack, tempPaths())).rejects.toThrow('conntrack probably not loaded');
  });

  it('keeps the table size when only the statistics file is missing, like node_exporter', async () => {
    const paths = tempPaths({
      'sys/net/netfilter/nf_conntrack_count': '7\n',
      'sys/net/netfilter/nf_conntrack_max': '262144\n',
    });
    const err = await collect(conntrack, paths).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialError);
    expect((err as PartialError).noData).toBe(true);
    expect((err as PartialError).families.map((family) => [family.name, family.samples[0].value])).toEqual([
      ['node_nf_conntrack_entries', 7],
      ['node_nf_conntrack_entries_limit', 262144],
    ]);
  });
});
