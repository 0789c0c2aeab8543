import { DataSourceInstanceSettings } from '@grafana/data';
import { setTemplateSrv } from '@grafana/runtime';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';

import { SandboxTemplateSrv } from '@nester/sandbox/shell/templateSrv';
import { FakeBackend, installFakeBackend, labels } from '../../test/fakeBackend';
import { GRAFANA_AUTH_FAILED } from '../api/errors';
import { TimescaleDataSource } from '../datasource';
import { TimescaleOptions, TimescaleQuery } from '../types';
import { QueryEditor } from './QueryEditor';

// Grafana UI's Select is slow in jsdom; a builder session takes a few seconds there.
jest.setTimeout(30_000);

const PROXY = '/api/datasources/proxy/uid/ts';
const templateSrv = new SandboxTemplateSrv({ host: 'web-1' });
setTemplateSrv(templateSrv);

const datasource = () =>
  new TimescaleDataSource(
    { uid: 'ts', url: PROXY, jsonData: {}, meta: {} } as unknown as DataSourceInstanceSettings<TimescaleOptions>,
    templateSrv,
  );

/** The adapter's label API as the editor calls it through the proxy. */
function adapter(): FakeBackend {
  return installFakeBackend((req) => {
    const url = decodeURIComponent(req.url);
    if (url.includes('/label/__name__/values')) {
      return labels(['node_cpu_seconds_total', 'node_load1']);
    }
    if (url.includes('/label/instance/values')) {
      return labels(['web-1:9100', 'web-2:9100']);
    }
    if (url.includes('/labels')) {
      return labels(['__name__', 'instance', 'job']);
    }
    return { status: 404, data: { error: `no route ${url}` } };
  });
}

function renderEditor(initial: TimescaleQuery) {
  const changes: TimescaleQuery[] = [];
  const onRunQuery = jest.fn();
  function Harness() {
    const [query, setQuery] = useState(initial);
    return (
      <QueryEditor
        datasource={datasource()}
        query={query}
        onChange={(next) => {
          changes.push(next);
          setQuery(next);
        }}
        onRunQuery={onRunQuery}
      />
    );
  }
  render(<Harness />);
  return { changes, onRunQuery, last: () => changes[changes.length - 1] };
}

async function pick(user: ReturnType<typeof userEvent.setup>, label: string, option: string) {
  await user.click(screen.getByLabelText(label));
  await user.click(await screen.findByText(option, { selector: '[role="option"] *, [role="option"]' }));
}

test('the builder lists metrics, labels and values from the adapter and writes the expression', async () => {
  const backend = adapter();
  const user = userEvent.setup();
  const { last, onRunQuery } = renderEditor({ refId: 'A' });

  await pick(user, 'Metric', 'node_load1');
  expect(last()).toMatchObject({ metric: 'node_load1' });
  expect(screen.getByTestId('timescale-expression')).toHaveTextContent('node_load1');

  await user.click(screen.getByRole('button', { name: /Label matcher/ }));
  await pick(user, 'Label 1', 'instance');
  await pick(user, 'Value 1', 'web-2:9100');
  expect(last().matchers).toEqual([{ label: 'instance', op: '=', value: 'web-2:9100' }]);

  await pick(user, 'Range function', 'rate');
  await pick(user, 'Aggregation', 'sum');
  expect(screen.getByTestId('timescale-expression')).toHaveTextContent(
    'sum(rate(node_load1{instance="web-2:9100"}[$__rate_interval]))',
  );
  expect(onRunQuery).toHaveBeenCalled();
  // Lookups are narrowed to the series the rest of the query selects.
  expect(backend.calls()).toEqual([
    `GET ${PROXY}/api/v1/label/__name__/values`,
    `GET ${PROXY}/api/v1/labels?match[]=node_load1`,
    `GET ${PROXY}/api/v1/label/instance/values?match[]=node_load1`,
  ]);
});

test('dashboard variables are offered beside the adapter’s values', async () => {
  adapter();
  const user = userEvent.setup();
  const { last } = renderEditor({ refId: 'A', metric: 'up', matchers: [{ label: 'instance', op: '=', value: '' }] });
  await pick(user, 'Value 1', '$host');
  expect(last().matchers).toEqual([{ label: 'instance', op: '=', value: '$host' }]);
});

test('a refused read token is said in the editor, where the lookup failed', async () => {
  installFakeBackend(() => ({ status: 400, data: GRAFANA_AUTH_FAILED }));
  const user = userEvent.setup();
  renderEditor({ refId: 'A' });
  await user.click(screen.getByLabelText('Metric'));
  expect(await screen.findByText(/refused the read token \(401\)/)).toBeInTheDocument();
});

test('SQL mode: the text is saved and run on blur, the macro help opens', async () => {
  adapter();
  const user = userEvent.setup();
  const { last, onRunQuery } = renderEditor({ refId: 'A' });
  await user.click(screen.getByLabelText('SQL'));
  expect(last()).toMatchObject({ mode: 'sql' });
  const sql = screen.getByRole('textbox', { name: 'SQL' });
  await user.type(sql, 'SELECT $__timeGroupAlias(time, 1m), avg(value) FROM samples GROUP BY 1');
  onRunQuery.mockClear();
  await user.click(screen.getByText('Macros, tables and an example'));
  expect(last().sql).toBe('SELECT $__timeGroupAlias(time, 1m), avg(value) FROM samples GROUP BY 1');
  expect(onRunQuery).toHaveBeenCalledTimes(1);
  expect(await screen.findByText('$__timeFilter(time)')).toBeInTheDocument();
  expect(screen.getByText(/series_id bigint, metric_name text, labels jsonb/)).toBeInTheDocument();
});

test('a PromQL expr from elsewhere opens as builder fields; one the builder cannot hold says why', async () => {
  adapter();
  const { last } = renderEditor({
    refId: 'A',
    expr: 'avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))',
  });
  await waitFor(() =>
    expect(last()).toMatchObject({
      expr: undefined,
      metric: 'node_cpu_seconds_total',
      matchers: [{ label: 'mode', op: '=', value: 'idle' }],
      function: 'rate',
      range: '5m',
      aggregation: { op: 'avg', mode: 'by', labels: ['instance'] },
    }),
  );
  renderEditor({ refId: 'B', expr: '100 * up' });
  expect(await screen.findByText(/cannot be edited in the builder/)).toBeInTheDocument();
});
