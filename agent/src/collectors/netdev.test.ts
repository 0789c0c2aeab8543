import { UsageError } from '@nester/common/config/flags';
import { netdev, parseNetDev } from './netdev';
import { collect, collectText, fixturePaths, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

const HEADER =
  'Inter-|   Receive                                                |  Transmit\n' +
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';

describe('netdev collector', () => {
  itMatchesNodeExporter('netdev');

  it('adds receive_nohandler from sysfs, as netlink reports it (default)', async () => {
    const text = await collectText(netdev, fixturePaths('vm'));
    expect(text).toContain('# HELP node_network_receive_nohandler_total Network device statistic receive_nohandler.\n');
    expect(text).toMatch(/node_network_receive_nohandler_total\{device="eth0"\} \d+\n/);
  });

  it('keeps byte counters above 2^53 and a 32-bit wrapped value exactly as parsed', async () => {
    const line = '  eth0: 18446744073709551615 4294967295 0 0 0 0 0 0 9007199254740993 0 0 0 0 0 0 0\n';
    const text = await collectText(netdev, tempPaths({ 'net/dev': HEADER + line }));
    expect(text).toContain('node_network_receive_bytes_total{device="eth0"} 1.8446744073709552e+19\n');
    expect(text).toContain('node_network_receive_packets_total{device="eth0"} 4.294967295e+09\n');
    expect(text).toContain('node_network_transmit_bytes_total{device="eth0"} 9.007199254740992e+15\n');
  });

  it('fails on a malformed line, naming the device', () => {
    expect(() => parseNetDev(`${HEADER}  eth0: 1 2 3\n`)).toThrow(
      'invalid /proc/net/dev line for eth0: too few fields',
    );
    expect(() => parseNetDev(`${HEADER}  eth0 1 2 3\n`)).toThrow(/missing colon/);
  });

  it('refuses include and exclude together', async () => {
    await expect(
      collect(netdev, fixturePaths('vm'), [
        '--collector.netdev.device-include=eth',
        '--collector.netdev.device-exclude=lo',
      ]),
    ).rejects.toBeInstanceOf(UsageError);
  });
});
