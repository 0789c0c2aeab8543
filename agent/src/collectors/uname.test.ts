import os from 'node:os';
import { collect, tempPaths } from '../../test/support/collectors';
import { uname } from './uname';

describe('uname collector', () => {
  it('labels node_uname_info with uname(2) fields', async () => {
    const [family] = await collect(uname, tempPaths());
    expect(family.name).toBe('node_uname_info');
    expect(family.samples).toEqual([
      {
        labels: {
          sysname: 'Linux',
          nodename: os.hostname(),
          release: os.release(),
          version: os.version(),
          machine: os.machine(),
          domainname: expect.any(String),
        },
        value: 1,
      },
    ]);
    expect(family.samples[0].labels.domainname).not.toBe('');
  });
});
