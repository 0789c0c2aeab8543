import {
  CustomVariableSupport,
  DataQueryRequest,
  DataSourceInstanceSettings,
  dateTime,
  FieldType,
} from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { SandboxTemplateSrv } from '@nester/sandbox/shell/templateSrv';
import { installFakeBackend, labels } from '../test/fakeBackend';
import { GRAFANA_AUTH_FAILED } from './api/errors';
import { TimescaleDataSource } from './datasource';
import { TimescaleOptions, TimescaleQuery } from './types';
import { VariableQuery } from './variables/variableQuery';

const PROXY = '/api/datasources/proxy/uid/fleet-metrics';
const settings = {
  id: 1,
  uid: 'fleet-metrics',
  type: 'nester-timescale-datasource',
  name: 'Fleet metrics',
  url: PROXY,
  access: 'proxy',
  jsonData: { scrapeInterval: '1s' },
  meta: {},
  readOnly: false,
} as unknown as DataSourceInstanceSettings<TimescaleOptions>;

const templateSrv = new SandboxTemplateSrv({ host: "web'1", job: 'node' });
const datasource = () => new TimescaleDataSource(settings, templateSrv);

const frame = (refId: string) => ({
  schema: {
    refId,
    fields: [
      { name: 'Time', type: 'time' },
      { name: 'up', type: 'number', labels: { instance: 'a' } },
    ],
  },
  data: { values: [[1000], [1]] },
});

function request(targets: TimescaleQuery[]): DataQueryRequest<TimescaleQuery> {
  return {
    requestId: 'Q1',
    targets,
    range: { from: dateTime(1_000_000), to: dateTime(2_000_000), raw: { from: 'now-1h', to: 'now' } },
    interval: '15s',
    intervalMs: 15_000,
    maxDataPoints: 500,
    scopedVars: { __interval: { text: '15s', value: '15s' }, __interval_ms: { text: '15000', value: 15000 } },
    timezone: 'browser',
    app: 'dashboard',
    startTime: 0,
  };
}

test('queries go to the adapter through the datasource proxy, variables applied, frames read back', async () => {
  const backend = installFakeBackend(() => ({ data: { results: { A: { frames: [frame('A')] }, B: { frames: [] } } } }));
  const response = await lastValueFrom(
    datasource().query(
      request([
        { refId: 'A', metric: 'up', matchers: [{ label: 'instance', op: '=', value: '$host' }], function: 'rate' },
        { refId: 'B', mode: 'sql', sql: 'SELECT 1 WHERE host = $host' },
        { refId: 'C', metric: 'up', hide: true },
        { refId: 'D', matchers: [] },
      ]),
    ),
  );
  expect(backend.requests).toHaveLength(1);
  const [call] = backend.requests;
  expect(call).toMatchObject({ url: `${PROXY}/api/v1/ds/query`, method: 'POST', requestId: 'Q1' });
  expect(call.data).toEqual({
    from: 1_000_000,
    to: 2_000_000,
    queries: [
      {
        refId: 'A',
        selector: 'up{instance="web\'1"}',
        function: 'rate',
        range: '16000ms', // $__rate_interval: max(15 s + 1 s, 4 × 1 s)
        intervalMs: 15_000,
        maxDataPoints: 500,
      },
      { refId: 'B', kind: 'sql', sql: "SELECT 1 WHERE host = 'web''1'", intervalMs: 15_000 },
    ],
  });
  expect(response.errors).toBeUndefined();
  expect(response.data).toHaveLength(1);
  expect(response.data[0].refId).toBe('A');
  expect(response.data[0].fields[1].type).toBe(FieldType.number);
});

test('selectors are written by the compiler the adapter runs: keyword metrics braced, bad values refused', async () => {
  const backend = installFakeBackend(() => ({ data: { results: { A: { frames: [] } } } }));
  const response = await lastValueFrom(
    datasource().query(
      request([
        { refId: 'A', metric: 'offset', matchers: [{ label: 'job', op: '=~', value: 'a"b\\\n' }] },
        { refId: 'B', metric: 'up', matchers: [{ label: 'job', op: '=', value: 'lone \ud800' }] },
      ]),
    ),
  );
  expect(backend.requests[0].data).toMatchObject({
    queries: [{ refId: 'A', selector: '{__name__="offset", job=~"a\\"b\\\\\\n"}' }],
  });
  expect(response.errors).toEqual([{ refId: 'B', message: expect.stringMatching(/is not valid Unicode/) }]);
});

test('a wrong read token shows on every query as the token problem it is', async () => {
  installFakeBackend(() => ({ status: 400, data: GRAFANA_AUTH_FAILED }));
  const response = await lastValueFrom(
    datasource().query(
      request([
        { refId: 'A', metric: 'up' },
        { refId: 'B', metric: 'node_load1' },
      ]),
    ),
  );
  expect(response.data).toEqual([]);
  expect(response.errors?.map((e) => [e.refId, e.status])).toEqual([
    ['A', 401],
    ['B', 401],
  ]);
  expect(response.errors?.[0].message).toMatch(/refused the read token/);
});

test("when every query fails the adapter's reasons still reach each query", async () => {
  installFakeBackend(() => ({
    status: 400,
    data: { results: { A: { frames: [], error: 'unknown function "rat"', status: 400 } } },
  }));
  const response = await lastValueFrom(datasource().query(request([{ refId: 'A', metric: 'up' }])));
  expect(response.errors).toEqual([{ refId: 'A', message: 'unknown function "rat"', status: 400 }]);
});

test('a query that cannot be interpolated fails alone; the others run', async () => {
  const backend = installFakeBackend(() => ({ data: { results: { B: { frames: [frame('B')] } } } }));
  const response = await lastValueFrom(
    datasource().query(
      request([
        { refId: 'A', metric: '$host' },
        { refId: 'B', metric: 'up' },
      ]),
    ),
  );
  expect((backend.requests[0].data as { queries: Array<{ refId: string }> }).queries.map((q) => q.refId)).toEqual([
    'B',
  ]);
  expect(response.data).toHaveLength(1);
  expect(response.errors).toEqual([{ refId: 'A', message: expect.stringMatching(/not a valid metric name/) }]);
});

test('Save & test reports the storage the adapter found', async () => {
  const backend = installFakeBackend((req) =>
    req.url.endsWith('/status')
      ? {
          data: {
            status: 'success',
            data: { storage: { engine: 'postgresql', postgres: '17.9', partitioning: 'native range partitions' } },
          },
        }
      : labels(['node_load1', 'up']),
  );
  await expect(datasource().testDatasource()).resolves.toEqual({
    status: 'success',
    message:
      'Connected to the timescale-adapter: PostgreSQL 17.9 with native range partitions (TimescaleDB not in use); 2 metric names stored.',
  });
  expect(backend.calls()).toEqual([`GET ${PROXY}/api/v1/status`, `GET ${PROXY}/api/v1/label/__name__/values`]);

  installFakeBackend(() => ({ status: 502, data: 'Bad Gateway' }));
  await expect(datasource().testDatasource()).resolves.toMatchObject({
    status: 'error',
    message: expect.stringMatching(/could not reach the adapter/),
  });
});

test('variables list label values of the series a selector picks, chained variables applied', async () => {
  const backend = installFakeBackend(() => labels(['web-1', 'web-2']));
  const ds = datasource();
  const support = ds.variables as CustomVariableSupport<TimescaleDataSource, VariableQuery>;
  const response = await lastValueFrom(
    support.query({
      ...request([]),
      targets: [{ refId: 'V', kind: 'labelValues', label: 'instance', match: 'node_uname_info{job="$job"}' }],
    } as unknown as DataQueryRequest<VariableQuery>),
  );
  expect(backend.calls()).toEqual([`GET ${PROXY}/api/v1/label/instance/values?match[]=node_uname_info{job="node"}`]);
  expect(Array.from(response.data[0].fields[0].values)).toEqual(['web-1', 'web-2']);
  expect(response.data[0].fields[0].name).toBe('text');

  // Prometheus-style variable queries (older dashboards, metricFindQuery callers) work too.
  await expect(ds.metricFindQuery('label_values(up{job="$job"}, instance)')).resolves.toEqual([
    { text: 'web-1', value: 'web-1' },
    { text: 'web-2', value: 'web-2' },
  ]);
  expect(backend.calls()[1]).toBe(`GET ${PROXY}/api/v1/label/instance/values?match[]=up{job="node"}`);
  await expect(ds.metricFindQuery('label_values(up, $host)')).rejects.toThrow(
    /"web'1" \(from \$host\) is not a valid label name/,
  );
});
