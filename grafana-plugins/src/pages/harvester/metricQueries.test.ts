import { harvester } from '../../../test/support/fakeNester';
import { parseExpr } from '../../../../datasource-timescale/plugin/src/query/parseExpr';
import { combineParts, harvesterSelector, metricQueries } from './metricQueries';

test('the default selector matches the harvester id label, never the hostname', () => {
  expect(harvesterSelector(undefined, harvester({ id: 'h_1f', hostname: 'web.07' }))).toBe('harvester_id="h_1f"');
});

test('a custom selector can use the hostname, regex characters escaped', () => {
  expect(harvesterSelector('instance=~"${hostname}(:[0-9]+)?"', harvester({ hostname: 'web.07' }))).toBe(
    'instance=~"web\\\\.07(:[0-9]+)?"',
  );
});

test('queries use node_exporter names with the selector inside every matcher', () => {
  const queries = metricQueries('job="x"');
  expect(queries.map((q) => q.refId)).toEqual(['cpu', 'memory', 'load', 'disk']);
  for (const query of queries) {
    for (const expr of Object.values(query.parts)) {
      expect(expr).toContain('job="x"');
    }
  }
  expect(queries[0].parts.idle).toBe('avg(rate(node_cpu_seconds_total{mode="idle",job="x"}[5m]))');
});

test('every part is PromQL that nester-timescale-datasource evaluates (one aggregation of a selector)', () => {
  for (const query of metricQueries(harvesterSelector(undefined, harvester({ id: 'h_1f' })))) {
    for (const expr of Object.values(query.parts)) {
      const fields = parseExpr(expr);
      expect(fields.aggregation?.labels).toEqual([]);
      expect(fields.matchers).toContainEqual({ label: 'harvester_id', op: '=', value: 'h_1f' });
    }
  }
});

test('parts are combined point by point, only where all of them have a value', () => {
  const memory = metricQueries('job="x"').find((q) => q.refId === 'memory')!;
  const values = combineParts(memory, {
    available: new Map([
      [1000, 25],
      [2000, 50],
      [3000, 75],
    ]),
    total: new Map([
      [1000, 100],
      [3000, 100],
    ]),
  });
  expect(values).toEqual([
    [1000, 75],
    [3000, 25],
  ]);
  const cpu = metricQueries('job="x"').find((q) => q.refId === 'cpu')!;
  expect(combineParts(cpu, { idle: new Map([[1000, 0.9]]) })[0][1]).toBeCloseTo(10, 9);
});

test("root disk used is df's used / (used + available): reserved blocks are not used", () => {
  // This machine: df -k / says 264212084 blocks, 33755856 used, 72635056 available, Use% 32 %.
  const disk = metricQueries('job="x"').find((q) => q.refId === 'disk')!;
  const k = 1024;
  const [[, percent]] = combineParts(disk, {
    size: new Map([[1000, 264212084 * k]]),
    free: new Map([[1000, (264212084 - 33755856) * k]]),
    available: new Map([[1000, 72635056 * k]]),
  });
  expect(Math.ceil(percent)).toBe(32);
});
