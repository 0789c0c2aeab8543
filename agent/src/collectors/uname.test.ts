import { execFileSync } from 'node:child_process';
import { collect, tempPaths } from '../../test/support/collectors';
import { uname } from './uname';

const run = (command: string, ...args: string[]) => execFileSync(command, args, { encoding: 'utf8' }).trimEnd();

describe('uname collector', () => {
  it('labels node_uname_info with the fields of uname(2), as uname(1) and domainname(1) print them', async () => {
    const [family] = await collect(uname, tempPaths());
    expect(family.name).toBe('node_uname_info');
    expect(family.samples).toEqual([
      {
        labels: {
          sysname: run('uname', '-s'),
          nodename: run('uname', '-n'),
          release: run('uname', '-r'),
          version: run('uname', '-v'),
          machine: run('uname', '-m'),
          domainname: run('domainname'),
        },
        value: 1,
      },
    ]);
  });
});
