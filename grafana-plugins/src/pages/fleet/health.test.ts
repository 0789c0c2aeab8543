import { DataFrame, FieldType, createDataFrame } from '@grafana/data';

import { parseExpr } from '../../../../datasource-timescale/plugin/src/query/parseExpr';
import { healthFromFrames } from './health';
import { harvestersMatcher, healthQueries } from './healthQueries';

const NOW = Date.UTC(2026, 11, 3, 12);

function frame(refId: string, labels: Record<string, string>, values: Array<number | null>): DataFrame {
  return createDataFrame({
    refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: values.map((_, i) => NOW - (values.length - 1 - i) * 60_000) },
      { name: 'Value', type: FieldType.number, values, labels },
    ],
  });
}

test('one query per figure for any number of harvesters, grouped by harvester_id', () => {
  const ids = Array.from({ length: 500 }, (_, i) => `h_${i}`);
  const queries = healthQueries(ids);
  expect(Object.keys(queries)).toHaveLength(10);
  for (const expr of Object.values(queries)) {
    expect(expr).toContain('harvester_id');
    expect(expr).toContain('h_0|h_1|');
  }
  expect(harvestersMatcher(['a.b'])).toBe('harvester_id=~"a\\\\.b"');
  expect(harvestersMatcher([])).toBe('harvester_id=~"^$"');
  expect(harvestersMatcher()).toBe('harvester_id!=""');
});

test('every query is PromQL nester-timescale-datasource evaluates, grouped by harvester_id', () => {
  for (const ids of [['h_1', 'h_2'], undefined]) {
    for (const expr of Object.values(healthQueries(ids))) {
      const fields = parseExpr(expr);
      expect(fields.aggregation?.labels).toContain('harvester_id');
      expect(fields.matchers?.some((m) => m.label === 'harvester_id')).toBe(true);
    }
  }
});

test('folds the newest value of each part into figures per harvester', () => {
  const a = { harvester_id: 'h_a' };
  const b = { harvester_id: 'h_b' };
  const health = healthFromFrames(
    [
      frame('cpuIdle', a, [0.5, 0.25]),
      frame('cpuCount', a, [4, 4]),
      frame('memAvailable', a, [null, 2]),
      frame('memTotal', a, [8, 8]),
      frame('load1', a, [1, 6]),
      frame('bootTime', a, [(NOW - 3 * 86400_000) / 1000, (NOW - 3 * 86400_000) / 1000]),
      frame('lastSample', a, [(NOW - 15_000) / 1000, (NOW - 15_000) / 1000]),
      // Two filesystems: / at df's 32 % (reserved blocks not counted as used), /data at 90 %.
      frame('fsSize', { ...a, mountpoint: '/' }, [264212084]),
      frame('fsFree', { ...a, mountpoint: '/' }, [264212084 - 33755856]),
      frame('fsAvail', { ...a, mountpoint: '/' }, [72635056]),
      frame('fsSize', { ...a, mountpoint: '/data' }, [100]),
      frame('fsFree', { ...a, mountpoint: '/data' }, [10]),
      frame('fsAvail', { ...a, mountpoint: '/data' }, [10]),
      frame('fsSize', { ...b, mountpoint: '/' }, [264212084]),
      frame('fsFree', { ...b, mountpoint: '/' }, [264212084 - 33755856]),
      frame('fsAvail', { ...b, mountpoint: '/' }, [72635056]),
      frame('load1', b, [0.5]),
    ],
    NOW,
  );
  expect(health.get('h_a')).toEqual({
    cpuPercent: 75,
    memoryPercent: 75,
    load1: 6,
    loadPerCpu: 1.5,
    uptimeSeconds: 3 * 86400,
    lastSampleMs: NOW - 15_000,
    diskPercent: 90,
    diskMountpoint: '/data',
  });
  expect(Math.ceil(health.get('h_b')!.diskPercent!)).toBe(32);
  expect(health.get('h_b')).toMatchObject({ load1: 0.5, diskMountpoint: '/' });
  expect(health.get('h_b')!.loadPerCpu).toBeUndefined();
});

test('series without a harvester_id, NaN and Inf are left out', () => {
  const health = healthFromFrames(
    [frame('load1', { instance: 'x' }, [1]), frame('cpuIdle', { harvester_id: 'h' }, [0.1, NaN, Infinity])],
    NOW,
  );
  expect([...health.keys()]).toEqual(['h']);
  expect(health.get('h')!.cpuPercent).toBeCloseTo(90);
});
