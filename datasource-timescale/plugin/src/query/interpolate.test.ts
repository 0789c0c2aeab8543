import { SandboxTemplateSrv } from '@nester/sandbox/shell/templateSrv';
import { TimescaleQuery } from '../types';
import { applyVariables, toAdapterQuery } from './request';

// Dashboard variables reach the adapter only as escaped literals; every case ends in the
// selector text the adapter parses, since that is where an escape would matter.

const templateSrv = new SandboxTemplateSrv({
  host: 'web-1.example:9100',
  hosts: ['web-1', 'web.2'],
  job: 'node',
  evil: '"} or up{job=~".+',
  sql: "'; DROP TABLE samples; --",
  backslash: 'C:\\temp\\"x',
  metric: 'node_load1',
  metrics: ['node_load1', 'node_load5'],
  badMetric: 'up{job="x"}',
  label: 'instance',
  labels: ['instance', 'job'],
  window: '10m',
});

function selectorOf(query: Partial<TimescaleQuery>, scopedVars = {}) {
  const applied = applyVariables({ refId: 'A', ...query }, templateSrv, scopedVars, 15_000);
  return toAdapterQuery(applied, { intervalMs: 15_000 });
}

test('a label value is written as an escaped string, so `"}` cannot close the selector', () => {
  const query = selectorOf({ metric: 'up', matchers: [{ label: 'instance', op: '=', value: '$evil' }] });
  expect(query).toMatchObject({ selector: 'up{instance="\\"} or up{job=~\\".+"}' });
});

test('a SQL-looking value stays a literal label value', () => {
  const query = selectorOf({ metric: 'up', matchers: [{ label: 'instance', op: '!=', value: '$sql' }] });
  expect(query).toMatchObject({ selector: `up{instance!="'; DROP TABLE samples; --"}` });
});

test('backslashes and quotes are escaped as PromQL strings need', () => {
  const query = selectorOf({ metric: 'up', matchers: [{ label: 'path', op: '=', value: '${backslash}' }] });
  expect(query).toMatchObject({ selector: 'up{path="C:\\\\temp\\\\\\"x"}' });
});

test('in a regex matcher values are regex-escaped literals, the author’s text stays a regex', () => {
  const query = selectorOf({ metric: 'up', matchers: [{ label: 'instance', op: '=~', value: '$host|db-.*' }] });
  expect(query).toMatchObject({ selector: 'up{instance=~"web-1\\\\.example:9100|db-.*"}' });
});

test('a multi-value variable becomes an escaped alternation; in an = matcher it turns into =~', () => {
  expect(selectorOf({ metric: 'up', matchers: [{ label: 'instance', op: '=', value: '$hosts:9100' }] })).toMatchObject({
    selector: 'up{instance=~"(web-1|web\\\\.2):9100"}',
  });
  expect(selectorOf({ metric: 'up', matchers: [{ label: 'instance', op: '!=', value: '$hosts' }] })).toMatchObject({
    selector: 'up{instance!~"(web-1|web\\\\.2)"}',
  });
  // The author's literal text around a multi value is escaped too, once the matcher is a regex.
  expect(selectorOf({ metric: 'up', matchers: [{ label: 'path', op: '=', value: '/a.b/$hosts' }] })).toMatchObject({
    selector: 'up{path=~"/a\\\\.b/(web-1|web\\\\.2)"}',
  });
});

test('metric and label names must still be names after interpolation', () => {
  expect(() => selectorOf({ metric: '$badMetric' })).toThrow(
    /"up\{job=\\"x\\"\}" \(from \$badMetric\) is not a valid metric name/,
  );
  expect(() => selectorOf({ metric: 'up', matchers: [{ label: '$evil', op: '=', value: 'x' }] })).toThrow(
    /is not a valid label name/,
  );
  expect(() => selectorOf({ metric: 'up', function: 'rate', range: '$sql' })).toThrow(/is not a duration/);
  expect(selectorOf({ metric: '$metric', matchers: [{ label: '$label', op: '=', value: '$host' }] })).toMatchObject({
    selector: 'node_load1{instance="web-1.example:9100"}',
  });
});

test('a metric variable with several values selects each by __name__', () => {
  expect(selectorOf({ metric: '$metrics', matchers: [{ label: 'job', op: '=', value: '$job' }] })).toMatchObject({
    selector: '{__name__=~"(node_load1|node_load5)", job="node"}',
  });
});

test('ranges, $__rate_interval and grouping labels', () => {
  expect(selectorOf({ metric: 'x', function: 'rate', range: '$window' })).toMatchObject({ range: '10m' });
  // max($__interval + scrape, 4 × scrape) with a 15 s scrape interval and a 30 s panel interval.
  expect(
    selectorOf({ metric: 'x', function: 'rate' }, { __interval_ms: { text: '30000', value: 30000 } }),
  ).toMatchObject({ function: 'rate', range: '60000ms' });
  expect(
    selectorOf({ metric: 'x', aggregation: { op: 'sum', mode: 'by', labels: ['$labels', 'mode'] } }),
  ).toMatchObject({ aggregation: { op: 'sum', by: ['instance', 'job', 'mode'] } });
  expect(() => selectorOf({ metric: 'x', aggregation: { op: 'sum', mode: 'without', labels: ['$evil'] } })).toThrow(
    /not a valid label name/,
  );
});

test('a PromQL expr is read into fields, then interpolated the same way', () => {
  const query = selectorOf({
    expr: 'sum by (instance) (rate(node_cpu_seconds_total{mode="idle",instance="$evil"}[5m]))',
  });
  expect(query).toEqual({
    refId: 'A',
    selector: 'node_cpu_seconds_total{mode="idle", instance="\\"} or up{job=~\\".+"}',
    function: 'rate',
    range: '5m',
    aggregation: { op: 'sum', by: ['instance'] },
    intervalMs: 15_000,
    maxDataPoints: undefined,
    legendFormat: undefined,
  });
});

test('the legend format gets dashboard variables, the {{label}} placeholders stay for the adapter', () => {
  expect(selectorOf({ metric: 'up', legendFormat: '$job {{instance}}' })).toMatchObject({
    legendFormat: 'node {{instance}}',
  });
});
