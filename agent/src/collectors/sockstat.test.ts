import { parseAuxvPageSize } from '../procfs/pagesize';
import { parseSockstat, sockstat } from './sockstat';
import { collect, collectText, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

describe('sockstat collector', () => {
  itMatchesNodeExporter('sockstat');

  it('reads protocols, their optional fields and the IPv4 socket total', () => {
    const stat = parseSockstat(
      'sockets: used 230\nTCP: inuse 1 orphan 0 tw 2 alloc 3 mem 4\nFRAG: inuse 0 memory 0\n',
      'sockstat',
    );
    expect(stat.used).toBe(230);
    expect(stat.protocols.map((p) => [p.protocol, [...p.values.keys()]])).toEqual([
      ['TCP', ['inuse', 'orphan', 'tw', 'alloc', 'mem']],
      ['FRAG', ['inuse', 'memory']],
    ]);
  });

  it('exposes mem in bytes too, and IPv6 without a socket total', async () => {
    const paths = tempPaths({
      'net/sockstat': 'TCP: inuse 1 mem 3\n',
      'net/sockstat6': 'sockets: used 9\nUDP6: inuse 2\n',
    });
    const text = await collectText(sockstat, paths);
    expect(text).toContain('node_sockstat_TCP_mem_bytes 12288\n');
    expect(text).toContain('node_sockstat_UDP6_inuse 2\n');
    expect(text).not.toContain('sockets_used');
  });

  it('skips a missing IPv6 file (IPv6 disabled) and fails on an odd key/value list', async () => {
    await expect(collect(sockstat, tempPaths({ 'net/sockstat': 'UDP: inuse 1\n' }))).resolves.toHaveLength(1);
    await expect(collect(sockstat, tempPaths({ 'net/sockstat': 'UDP: inuse 1 mem\n' }))).rejects.toThrow(
      /odd number of fields/,
    );
  });

  it('finds the page size in the auxiliary vector', () => {
    const auxv = Buffer.alloc(48);
    auxv.writeBigUInt64LE(33n, 0); // AT_SYSINFO_EHDR
    auxv.writeBigUInt64LE(6n, 16); // AT_PAGESZ
    auxv.writeBigUInt64LE(65536n, 24);
    expect(parseAuxvPageSize(auxv)).toBe(65536);
    expect(parseAuxvPageSize(Buffer.alloc(16))).toBeUndefined();
  });
});
