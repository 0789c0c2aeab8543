import { NoDataError } from './collector';
import { collect, itMatchesNodeExporter, tempPaths } from '../../test/support/collectors';
import { sumUdpQueues, udpQueues } from './udp_queues';

const HEADER =
  '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n';
const LINE = (queues: string) =>
  `  120: 00000000:0044 00000000:0000 07 ${queues} 00:00000000 00000000     0        0 12345 2 0000000000000000 0\n`;

describe('udp_queues collector', () => {
  itMatchesNodeExporter('udp_queues');

  it('sums the hexadecimal queue sizes', () => {
    expect(sumUdpQueues(HEADER + LINE('00000100:00000010') + LINE('00000001:00000001'), 'udp')).toEqual({
      tx: 257,
      rx: 17,
    });
  });

  it('reports IPv4 alone when IPv6 is disabled, and no data when both are missing', async () => {
    const families = await collect(udpQueues, tempPaths({ 'net/udp': HEADER }));
    expect(families[0].samples.map((s) => s.labels)).toEqual([
      { queue: 'tx', ip: 'v4' },
      { queue: 'rx', ip: 'v4' },
    ]);
    await expect(collect(udpQueues, tempPaths())).rejects.toBeInstanceOf(NoDataError);
  });

  it('fails on a malformed line', async () => {
    await expect(collect(udpQueues, tempPaths({ 'net/udp': `${HEADER}  1: 0 0 07 zz\n` }))).rejects.toThrow(
      /less then 10 columns/,
    );
  });
});
