import { UsageError } from '@nester/common/config/flags';
import { compilePattern, deviceFilterFromFlags, DeviceFilter } from './pattern';

describe('flag patterns', () => {
  it('accepts Go spellings: leading flag groups and named groups', () => {
    expect(compilePattern('f', '(?i)^ETH').test('eth0')).toBe(true);
    expect(compilePattern('f', '^(?P<kind>sd)[a-z]$').test('sda')).toBe(true);
  });

  it('names the flag when a pattern is invalid', () => {
    expect(() => compilePattern('collector.netdev.device-exclude', '^(eth')).toThrow(
      /--collector.netdev.device-exclude: invalid regular expression/,
    );
  });

  it('ignores names matching exclude, or not matching include', () => {
    const exclude = new DeviceFilter(/^lo$/);
    expect([exclude.ignored('lo'), exclude.ignored('eth0')]).toEqual([true, false]);
    const include = new DeviceFilter(undefined, /^eth/);
    expect([include.ignored('lo'), include.ignored('eth0')]).toEqual([true, false]);
  });

  it('honours deprecated flag names and refuses contradictions', () => {
    const names = { include: 'inc', exclude: 'exc', oldExclude: 'old-exc', defaultExclude: '^ram' };
    expect(deviceFilterFromFlags({ exc: '^ram', 'old-exc': '^sd' }, names).ignored('sda')).toBe(true);
    expect(() => deviceFilterFromFlags({ exc: '^vd', 'old-exc': '^sd' }, names)).toThrow(UsageError);
    expect(() => deviceFilterFromFlags({ exc: '^vd', inc: '^sd' }, names)).toThrow('mutually exclusive');
    expect(deviceFilterFromFlags({ exc: '^ram', inc: '^ram' }, names).ignored('ram0')).toBe(false);
  });
});
