import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { NoDataError, PartialError } from './collector';
import { cleanName, explodeSensorFilename, hwmon } from './hwmon';
import { collect, itMatchesNodeExporter, tempPaths, tempTree } from '../../test/support/collectors';

describe('hwmon collector', () => {
  itMatchesNodeExporter('hwmon');

  it('splits sensor file names into type, number and property', () => {
    expect(explodeSensorFilename('temp1_crit_alarm')).toEqual({ type: 'temp', num: 1, property: 'crit_alarm' });
    expect(explodeSensorFilename('beep_enable')).toEqual({ type: 'beep_enable', num: 0, property: '' });
    expect(explodeSensorFilename('12')).toBeUndefined();
    expect(cleanName('  Package id 0\n')).toBe('package_id_0');
  });

  it('reports no data in a container or VM without /sys/class/hwmon', async () => {
    await expect(collect(hwmon, tempPaths())).rejects.toBeInstanceOf(NoDataError);
  });

  it('keeps the sensors of healthy chips when one chip cannot be read', async () => {
    const sys = tempTree({
      'class/hwmon/hwmon0/name': 'k10temp\n',
      'class/hwmon/hwmon0/temp1_input': '40125\n',
      'class/hwmon/hwmon1/name': 'broken\n',
      'devices/not-a-directory': '',
    });
    // hwmon1's device link leads to a file: listing its sensors fails, as in node_exporter.
    symlinkSync('../../../devices/not-a-directory', join(sys, 'class/hwmon/hwmon1/device'));
    // A dangling class entry is skipped silently.
    symlinkSync('../../devices/gone', join(sys, 'class/hwmon/hwmon2'));
    const err = await collect(hwmon, { ...tempPaths(), sysfs: sys }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialError);
    expect((err as PartialError).message).toMatch(/ENOTDIR/);
    const families = (err as PartialError).families;
    expect(families.find((family) => family.name === 'node_hwmon_temp_celsius')?.samples).toEqual([
      { labels: { chip: 'k10temp', sensor: 'temp1' }, value: 40.125 },
    ]);
  });
});
