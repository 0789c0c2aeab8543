import { harvester } from '../../../test/support/fakeNester';
import { harvesterSelector, metricQueries } from './metricQueries';

test('the default selector matches the hostname with any port, regex characters escaped', () => {
  expect(harvesterSelector(undefined, harvester({ hostname: 'web.07' }))).toBe('instance=~"web\\\\.07(:[0-9]+)?"');
});

test('a custom selector can use the id', () => {
  expect(harvesterSelector('harvester="${id}"', harvester({ id: 'h_1' }))).toBe('harvester="h_1"');
});

test('queries use node_exporter names with the selector inside every matcher', () => {
  const queries = metricQueries('job="x"');
  expect(queries.map((q) => q.refId)).toEqual(['cpu', 'memory', 'load', 'disk']);
  for (const query of queries) {
    expect(query.expr).toContain('job="x"');
  }
  expect(queries[0].expr).toContain('node_cpu_seconds_total{mode="idle",job="x"}');
});
