import { readFileSync } from 'node:fs';
import { readClockSources, time } from './time';
import { localZone, zoneAt } from './timezone';
import { collect, tempPaths, tempTree } from '../../test/support/collectors';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('time collector', () => {
  it('exposes the clock, the zone offset and the clock sources', async () => {
    const paths = tempPaths(
      {},
      {
        'devices/system/clocksource/clocksource0/available_clocksource': 'kvm-clock tsc acpi_pm \n',
        'devices/system/clocksource/clocksource0/current_clocksource': 'kvm-clock\n',
      },
    );
    const before = Date.now() / 1000;
    const families = await collect(time, paths);
    const byName = Object.fromEntries(families.map((family) => [family.name, family.samples]));
    expect(byName.node_time_seconds[0].value).toBeGreaterThanOrEqual(before);
    expect(byName.node_time_seconds[0].value).toBeLessThanOrEqual(Date.now() / 1000);
    expect(byName.node_time_clocksource_available_info.map((s) => s.labels.clocksource)).toEqual([
      'kvm-clock',
      'tsc',
      'acpi_pm',
    ]);
    expect(byName.node_time_clocksource_current_info).toEqual([
      { labels: { device: '0', clocksource: 'kvm-clock' }, value: 1 },
    ]);
  });

  it('numbers clock sources in glob order, as node_exporter labels them', () => {
    const dir = tempTree({
      'clocksource0/available_clocksource': 'a\n',
      'clocksource0/current_clocksource': 'a\n',
      'clocksource10/available_clocksource': 'b\n',
      'clocksource10/current_clocksource': 'b\n',
      'clocksource2/available_clocksource': 'c\n',
      'clocksource2/current_clocksource': 'c\n',
    });
    expect(readClockSources(dir).map((source) => source.current)).toEqual(['a', 'b', 'c']);
  });

  describe('time zone', () => {
    it('names the zone by its abbreviation, from the transition table and from the POSIX rule beyond it', () => {
      const env = { TZ: 'Europe/Paris' };
      expect(localZone(at('2005-07-01T12:00:00Z'), env)).toEqual({ name: 'CEST', offsetSeconds: 7200 });
      expect(localZone(at('2005-01-01T12:00:00Z'), env)).toEqual({ name: 'CET', offsetSeconds: 3600 });
      expect(localZone(at('2090-07-01T12:00:00Z'), env)).toEqual({ name: 'CEST', offsetSeconds: 7200 });
      expect(localZone(at('2090-12-01T12:00:00Z'), env)).toEqual({ name: 'CET', offsetSeconds: 3600 });
    });

    it('handles southern-hemisphere rules and UTC', () => {
      expect(localZone(at('2090-01-15T00:00:00Z'), { TZ: 'Australia/Sydney' })).toEqual({
        name: 'AEDT',
        offsetSeconds: 39600,
      });
      expect(localZone(at('2090-07-15T00:00:00Z'), { TZ: 'Australia/Sydney' })).toEqual({
        name: 'AEST',
        offsetSeconds: 36000,
      });
      expect(localZone(0, { TZ: '' })).toEqual({ name: 'UTC', offsetSeconds: 0 });
      expect(localZone(0, { TZ: 'Nowhere/Atlantis' })).toEqual({ name: 'UTC', offsetSeconds: 0 });
      // 2090 is past the transition tables: the footer rules decide.
      expect(localZone(at('2090-03-26T00:59:59Z'), { TZ: 'Europe/Paris' }).name).toBe('CET');
      expect(localZone(at('2090-03-26T01:00:00Z'), { TZ: 'Europe/Paris' }).name).toBe('CEST');
    });

    it('rejects data that is not TZif', () => {
      expect(zoneAt(Buffer.from('not a zone file at all, just text padding here....'), 0)).toBeUndefined();
      expect(zoneAt(readFileSync('/usr/share/zoneinfo/Etc/UTC'), 0)).toEqual({ name: 'UTC', offsetSeconds: 0 });
    });
  });
});
