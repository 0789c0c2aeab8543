import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoDataError } from './collector';
import { parseEnvFile } from '../files/os-release';
import { majorMinor, os } from './os';
import { collect, createCollector, itMatchesNodeExporter, tempPaths, tempTree } from '../../test/support/collectors';

describe('os collector', () => {
  itMatchesNodeExporter('os');

  it('parses the shell-like assignments os-release allows', () => {
    const env = parseEnvFile(
      [
        '# comment',
        'NAME="Fedora Linux"',
        "ID='fedora'",
        'export VERSION_ID=39',
        'PRETTY_NAME="A \\"quoted\\" \\$name"',
        'EMPTY=',
        '',
      ].join('\n'),
      'os-release',
    );
    expect(Object.fromEntries(env)).toEqual({
      NAME: 'Fedora Linux',
      ID: 'fedora',
      VERSION_ID: '39',
      PRETTY_NAME: 'A "quoted" $name',
      EMPTY: '',
    });
    expect(() => parseEnvFile('NAME="unterminated\n', 'os-release')).toThrow('os-release:1: unterminated double quote');
  });

  it('takes the major.minor part of VERSION_ID', () => {
    expect([
      majorMinor('22.04'),
      majorMinor('12'),
      majorMinor('3.18.4'),
      majorMinor('rolling'),
      majorMinor(''),
    ]).toEqual([22.04, 12, 3.18, 0, 0]);
  });

  it('falls back to /usr/lib/os-release and rereads it only when it changes', async () => {
    const rootfs = tempTree({ 'usr/lib/os-release': 'ID=alpine\nVERSION_ID=3.18.4\n' });
    const collectFn = createCollector(os, { ...tempPaths(), rootfs });
    expect((await collectFn())[1].samples[0]).toEqual({ labels: { id: 'alpine', id_like: '', name: '' }, value: 3.18 });
    writeFileSync(join(rootfs, 'usr/lib/os-release'), 'ID=alpine\nVERSION_ID=3.19\n');
    utimesSync(join(rootfs, 'usr/lib/os-release'), 1, 1);
    expect((await collectFn())[1].samples[0].value).toBe(3.19);
  });

  it('reports no data without os-release', async () => {
    await expect(collect(os, { ...tempPaths(), rootfs: tempTree({}) })).rejects.toBeInstanceOf(NoDataError);
  });
});
