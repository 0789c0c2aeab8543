import { NoDataError } from './collector';
import { netclass } from './netclass';
import { collect, collectText, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';

describe('netclass collector', () => {
  itMatchesNodeExporter('netclass');

  it('converts Mb/s to bytes, keeps an unknown speed of -1 unless told to ignore it', async () => {
    const paths = tempPaths(
      {},
      {
        'class/net/eth0/operstate': 'up\n',
        'class/net/eth0/speed': '1000\n',
        'class/net/wlan0/operstate': 'dormant\n',
        'class/net/wlan0/speed': '-1\n',
        'class/net/wlan0/flags': '0x1003\n',
        'class/net/bonding_masters': 'bond0\n',
      },
    );
    const text = await collectText(netclass, paths);
    expect(text).toContain('node_network_speed_bytes{device="eth0"} 1.25e+08\n');
    expect(text).toContain('node_network_speed_bytes{device="wlan0"} -125000\n');
    expect(text).toContain('node_network_flags{device="wlan0"} 4099\n');
    expect(text).toContain('node_network_up{device="wlan0"} 0\n');
    expect(text).not.toContain('bonding_masters');
    const ignoring = await collectText(netclass, paths, ['--collector.netclass.ignore-invalid-speed']);
    expect(ignoring).not.toContain('node_network_speed_bytes{device="wlan0"}');
  });

  it('reports no data without /sys/class/net', async () => {
    await expect(collect(netclass, tempPaths())).rejects.toBeInstanceOf(NoDataError);
  });
});
