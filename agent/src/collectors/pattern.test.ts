import { UsageError } from '@nester/common/config/flags';
import { compilePattern, deviceFilterFromFlags, DeviceFilter } from './pattern';

describe('flag patterns', () => {
  it('accepts Go spellings: leading flag groups and named groups', () => {
    expect(compilePattern('f', '(?i)^ETH').test('eth0')).toBe(true);
    expect(compilePattern('f', '^(?P<kind>sd)[a-z]$').test('sda')).toBe(true);
  });

  it('matches with Go RE2 semantics, as node_exporter does', () => {
    // POSIX classes, \Q…\E quoting, flag groups inside the pattern and (?U) are RE2, not JavaScript.
    expect(compilePattern('f', '^[[:digit:]]+$').test('42')).toBe(true);
    expect(compilePattern('f', '^\\Qa.b\\E$').test('a.b')).toBe(true);
    expect(compilePattern('f', '^\\Qa.b\\E$').test('axb')).toBe(false);
    expect(compilePattern('f', '^eth(?i)X$').test('ethx')).toBe(true);
    expect(compilePattern('f', '(?U)^a+').test('aaa')).toBe(true);
    // Matches anywhere in the value, as Go's MatchString.
    expect(compilePattern('f', 'nvme').test('dev-nvme0')).toBe(true);
  });

  it('refuses what Go refuses, naming the flag: look-arounds and back-references', () => {
    for (const pattern of ['a(?=b)', '(?<!x)y', '(a)\\1']) {
      expect(() => compilePattern('collector.netdev.device-exclude', pattern)).toThrow(UsageError);
      expect(() => compilePattern('collector.netdev.device-exclude', pattern)).toThrow(
        /^--collector\.netdev\.device-exclude: invalid regular expression/,
      );
    }
  });

  it('matches in linear time: a pattern that backtracks exponentially in JavaScript is harmless', () => {
    const value = `${'a'.repeat(5000)}!`;
    expect(compilePattern('f', '^(a|aa)+$').test(value)).toBe(false);
    expect(compilePattern('f', '^(a+)+$').test(value)).toBe(false);
  });

  it('names the flag when a pattern is invalid', () => {
    expect(() => compilePattern('collector.netdev.device-exclude', '^(eth')).toThrow(
      /--collector.netdev.device-exclude: invalid regular expression/,
    );
  });

  it('ignores names matching exclude, or not matching include', () => {
    const exclude = new DeviceFilter(compilePattern('f', '^lo$'));
    expect([exclude.ignored('lo'), exclude.ignored('eth0')]).toEqual([true, false]);
    const include = new DeviceFilter(undefined, compilePattern('f', '^eth'));
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
