import { netstat, parseNetStats, parseSnmp6 } from './netstat';
import { collect, collectText, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

const SNMP = 'Tcp: RtoAlgorithm MaxConn CurrEstab\nTcp: 1 -1 4\nUdp: InDatagrams NoPorts\nUdp: 10 2\n';
const NETSTAT = 'TcpExt: ListenDrops TCPTimeouts\nTcpExt: 0 3\n';

describe('netstat collector', () => {
  itMatchesNodeExporter('netstat');

  it('pairs header and value lines per protocol', () => {
    expect(parseNetStats(SNMP, 'snmp').get('Tcp')).toEqual(
      new Map([
        ['RtoAlgorithm', '1'],
        ['MaxConn', '-1'],
        ['CurrEstab', '4'],
      ]),
    );
    expect(parseSnmp6('Ip6InReceives    12\nUdpLite6InErrors 1\nnonsense\n').get('UdpLite6')).toEqual(
      new Map([['InErrors', '1']]),
    );
  });

  it('exposes the selected fields untyped, works without snmp6 (IPv6 disabled)', async () => {
    const text = await collectText(netstat, tempPaths({ 'net/netstat': NETSTAT, 'net/snmp': SNMP }), [
      '--collector.netstat.fields=^(Tcp_MaxConn|TcpExt_TCPTimeouts)$',
    ]);
    expect(text).toBe(
      [
        '# HELP node_netstat_TcpExt_TCPTimeouts Statistic TcpExtTCPTimeouts.',
        '# TYPE node_netstat_TcpExt_TCPTimeouts untyped',
        'node_netstat_TcpExt_TCPTimeouts 3',
        '# HELP node_netstat_Tcp_MaxConn Statistic TcpMaxConn.',
        '# TYPE node_netstat_Tcp_MaxConn untyped',
        'node_netstat_Tcp_MaxConn -1',
        '',
      ].join('\n'),
    );
  });

  it('fails when a header and its values disagree', async () => {
    const paths = tempPaths({ 'net/netstat': 'TcpExt: A B\nTcpExt: 1\n', 'net/snmp': SNMP });
    await expect(collect(netstat, paths)).rejects.toThrow(/mismatch field count mismatch in .*netstat: TcpExt/);
  });

  it('fails when /proc/net/snmp is missing', async () => {
    await expect(collect(netstat, tempPaths({ 'net/netstat': NETSTAT }))).rejects.toThrow(/ENOENT.*net\/snmp/);
  });
});
