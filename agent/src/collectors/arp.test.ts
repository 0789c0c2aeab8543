import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arp, countArpEntries } from './arp';
import { collect, fixturePaths, itMatchesNodeExporter } from '../../test/support/collectors';

describe('arp collector', () => {
  itMatchesNodeExporter('arp');

  it('counts entries per device and skips the header', () => {
    const text = [
      'IP address       HW type     Flags       HW address            Mask     Device',
      '192.168.1.1      0x1         0x2         52:54:00:aa:bb:cc     *        eth0',
      '192.168.1.7      0x1         0x2         52:54:00:aa:bb:cd     *        eth0',
      '10.0.0.1         0x1         0x2         52:54:00:aa:bb:ce     *        wlan0',
    ].join('\n');
    expect(countArpEntries(text)).toEqual(
      new Map([
        ['eth0', 2],
        ['wlan0', 1],
      ]),
    );
  });

  it('fails on a truncated line, naming the problem', () => {
    expect(() => countArpEntries('IP address HW type Flags HW address Mask Device\n10.0.0.1 0x1\n')).toThrow(
      'unexpected ARP table format',
    );
  });

  it('fails when /proc/net/arp is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arp-'));
    mkdirSync(join(dir, 'proc/net'), { recursive: true });
    await expect(collect(arp, { ...fixturePaths('vm'), procfs: join(dir, 'proc') })).rejects.toThrow(
      /ENOENT.*net\/arp/,
    );
    writeFileSync(join(dir, 'proc/net/arp'), 'IP address HW type Flags HW address Mask Device\n');
    await expect(collect(arp, { ...fixturePaths('vm'), procfs: join(dir, 'proc') })).resolves.toEqual([
      expect.objectContaining({ name: 'node_arp_entries', samples: [] }),
    ]);
  });
});
