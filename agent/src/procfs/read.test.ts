import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fields, parseFloat64, parseGoInt, parseUint, readOptional, readSysfs } from './read';

describe('procfs readers', () => {
  it('parses unsigned counters to the nearest float64, like Go float64(ParseUint)', () => {
    expect(parseUint('18446744073709551615', 'x')).toBe(2 ** 64);
    expect(parseUint('9007199254740993', 'x')).toBe(2 ** 53);
    expect(parseUint('4294967295', 'x')).toBe(4294967295);
    expect(() => parseUint('-1', '/proc/x field')).toThrow('malformed /proc/x field: "-1"');
    expect(() => parseUint('', 'x')).toThrow();
  });

  it('parses integers with Go base prefixes as sysfs values use them', () => {
    expect([parseGoInt('0x1003'), parseGoInt('010'), parseGoInt('-1'), parseGoInt('0'), parseGoInt('0b101')]).toEqual([
      4099, 8, -1, 0, 5,
    ]);
    expect([parseGoInt('12abc'), parseGoInt(''), parseGoInt('0x')]).toEqual([undefined, undefined, undefined]);
  });

  it('parses floats as strconv.ParseFloat does, failing on garbage', () => {
    expect([parseFloat64('1e+06', 'x'), parseFloat64('-Inf', 'x'), parseFloat64('.5', 'x')]).toEqual([
      1e6,
      -Infinity,
      0.5,
    ]);
    expect(Number.isNaN(parseFloat64('NaN', 'x'))).toBe(true);
    expect(() => parseFloat64('1,5', 'x')).toThrow('malformed x: "1,5"');
  });

  it('splits on runs of whitespace', () => {
    expect(fields('  a \t b  c\n')).toEqual(['a', 'b', 'c']);
    expect(fields('   ')).toEqual([]);
  });

  it('reads sysfs attributes trimmed to 128 bytes and absent files as undefined', () => {
    const dir = mkdtempSync(join(tmpdir(), 'read-'));
    writeFileSync(join(dir, 'long'), `${'x'.repeat(200)}\n`);
    expect(readSysfs(join(dir, 'long'))).toHaveLength(128);
    expect(readSysfs(join(dir, 'missing'))).toBeUndefined();
    expect(readOptional(join(dir, 'missing'))).toBeUndefined();
    expect(() => readOptional(dir)).toThrow(/EISDIR/);
  });
});
