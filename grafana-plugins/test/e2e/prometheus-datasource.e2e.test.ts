/** @jest-environment node */
import { eventually } from '@nester/testing/services';
import { Page } from 'playwright-core';

import { TestAdapter, series, startAdapter } from '../support/adapter';
import { TestBrowser, launchBrowser } from '../support/browser';
import { startTestSandbox } from '../support/sandbox';

// Grafana's own Prometheus datasource frontend (@grafana/prometheus, the code Grafana ships, as
// the sandbox's built-in "prometheus" plugin) pointed at the timescale-adapter binary, which
// answers Prometheus' HTTP API; the sandbox plays Grafana's server half (resources forwarded
// with the datasource's Authorization header, the health check). Chromium drives "Save & test",
// a label_values() variable and the metrics browser's label lists.

jest.setTimeout(60_000);

const DS_UID = 'nester-prometheus';
const INSTANCES = ['web-1:9100', 'web-2:9100', 'db-1:9100'];

let adapter: TestAdapter;
let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  adapter = await startAdapter();
  const start = Date.now() - 10 * 60_000;
  const points = (value: (k: number) => number) =>
    Array.from({ length: 60 }, (_, k) => [start + k * 15_000, value(k)] as [number, number]);
  await adapter.write([
    ...INSTANCES.map((instance) =>
      series(
        'up',
        { instance, job: 'node' },
        points(() => 1),
      ),
    ),
    ...INSTANCES.map((instance, i) =>
      series(
        'node_cpu_seconds_total',
        { cpu: '0', instance, job: 'node', mode: 'idle' },
        points((k) => (i + 1) * k),
      ),
    ),
    series(
      'node_load1',
      { instance: INSTANCES[0], job: 'node' },
      points((k) => k / 10),
    ),
  ]);
  sandbox = await startTestSandbox({
    datasources: [
      {
        name: 'Fleet metrics (Prometheus)',
        type: 'prometheus',
        uid: DS_UID,
        access: 'proxy',
        url: adapter.url,
        jsonData: {
          httpMethod: 'POST',
          prometheusType: 'Prometheus',
          prometheusVersion: '2.42.0',
          timeInterval: '15s',
          httpHeaderName1: 'Authorization',
        },
        secureJsonData: { httpHeaderValue1: `Bearer ${adapter.readToken}` },
      },
    ],
  });
  browser = await launchBrowser();
  page = await browser.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  await adapter?.stop();
});

test('Save & test: the health check (an instant query of 1+1) succeeds on the adapter', async () => {
  await page.goto(`${sandbox.url}connections/datasources/edit/${DS_UID}`);
  await page.getByRole('button', { name: 'Save & test' }).click();
  const result = page.getByTestId('datasource-test-result');
  await result.waitFor();
  expect(await result.getAttribute('data-status')).toBe('success');
  expect(await result.textContent()).toContain('Successfully queried the Prometheus API.');
  await browser.screenshot(page, 'prometheus-save-and-test');
});

test('the query builder lists the metric names, label names and values the adapter holds', async () => {
  await page.goto(`${sandbox.url}sandbox/datasource?uid=${DS_UID}`);
  await page.getByPlaceholder('Select metric').click();
  await page.getByRole('option', { name: 'node_load1' }).waitFor();
  const metrics = (await page.getByRole('option').allInnerTexts()).map((text) => text.trim().split('\n')[0]);
  expect(metrics).toEqual(expect.arrayContaining(['up', 'node_cpu_seconds_total', 'node_load1']));
  await page.getByRole('option', { name: 'node_cpu_seconds_total' }).first().click();
  await page.getByText('Select label').click({ force: true });
  await page.getByRole('option', { name: 'instance' }).waitFor();
  const labels = (await page.getByRole('option').allInnerTexts()).map((text) => text.trim());
  expect(labels).toEqual(expect.arrayContaining(['cpu', 'instance', 'job', 'mode']));
  await page.getByRole('option', { name: 'instance' }).click();
  await page.getByText('Select value').click({ force: true });
  await page.getByRole('option', { name: INSTANCES[0] }).waitFor();
  const values = (await page.getByRole('option').allInnerTexts()).map((text) => text.trim());
  expect(values.sort()).toEqual([...INSTANCES].sort());
  await browser.screenshot(page, 'prometheus-builder');
  await page.keyboard.press('Escape');
});

test("the metrics browser lists metrics, label names and a label's values", async () => {
  await page.goto(`${sandbox.url}sandbox/datasource?uid=${DS_UID}`);
  await page.getByRole('radio', { name: 'Code' }).check({ force: true });
  const open = page.getByTestId('data-testid open metrics browser');
  // Enabled once the language provider has loaded the metric names for the editor's time range.
  await eventually(async () => (await open.isEnabled()) || undefined, 'the metrics browser button enabled', 30_000);
  await open.click();
  const metricList = page.getByTestId('data-testid metric list');
  await metricList.getByText('node_load1', { exact: true }).waitFor();
  const metrics = (await metricList.innerText()).split('\n').map((line) => line.trim());
  expect(metrics).toEqual(expect.arrayContaining(['up', 'node_cpu_seconds_total', 'node_load1']));
  for (const name of ['cpu', 'instance', 'job', 'mode']) await page.getByText(name, { exact: true }).first().waitFor();
  await page.getByText('instance', { exact: true }).first().click();
  for (const instance of INSTANCES) await page.getByText(instance, { exact: true }).first().waitFor();
  await browser.screenshot(page, 'prometheus-metrics-browser');
});

test('a query with $__rate_interval runs through the sandbox as through Grafana: one series per instance', async () => {
  const query = {
    refId: 'A',
    expr: 'sum by (instance) (rate(node_cpu_seconds_total[$__rate_interval]))',
    range: true,
    instant: false, // Explore's default is both: range and instant frames
    legendFormat: '{{instance}}',
  };
  const sent: unknown[] = []; // what the page sends to /api/ds/query
  page.on('request', (request) => {
    if (request.url().includes('/api/ds/query')) sent.push(request.postDataJSON());
  });
  await page.goto(`${sandbox.url}sandbox/datasource?uid=${DS_UID}&query=${encodeURIComponent(JSON.stringify(query))}`);
  await page.getByRole('button', { name: 'Run query' }).click();
  await page.getByTestId('query-state').filter({ hasText: 'Done' }).waitFor();
  expect(await page.getByTestId('query-error').count()).toBe(0);
  // Grafana's frontend leaves the variable for the server to resolve, as promlib does.
  expect(sent).toContainEqual(
    expect.objectContaining({ queries: [expect.objectContaining({ expr: query.expr, intervalMs: 15_000 })] }),
  );
  expect(await page.getByTestId('query-summary').getAttribute('data-series')).toBe(String(INSTANCES.length));
  // The adapter answered the interpolated expression: instance i's counter grows by i+1 per 15 s.
  const rates = await page.evaluate(async () => {
    const res = await fetch('/api/ds/query', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        from: String(Date.now() - 5 * 60_000),
        to: String(Date.now() - 60_000),
        queries: [
          {
            refId: 'A',
            datasource: { uid: 'nester-prometheus' },
            expr: 'sum by (instance) (rate(node_cpu_seconds_total[$__rate_interval]))',
            range: true,
            intervalMs: 15_000,
            legendFormat: '{{instance}}',
          },
        ],
      }),
    });
    const body = (await res.json()) as {
      results: { A: { frames: { schema: { name: string }; data: { values: number[][] } }[] } };
    };
    return body.results.A.frames.map((f) => [f.schema.name, f.data.values[1][0]]);
  });
  expect(Object.fromEntries(rates)).toEqual(
    Object.fromEntries(INSTANCES.map((instance, i) => [instance, expect.closeTo((i + 1) / 15, 10)])),
  );
  await browser.screenshot(page, 'prometheus-rate-interval');
});

test('a label_values() variable lists the values from the adapter', async () => {
  await page.goto(`${sandbox.url}sandbox/datasource?uid=${DS_UID}&tab=variable`);
  await page.getByText('Select query type').click({ force: true });
  await page.getByRole('option', { name: 'Classic query' }).click();
  const input = page.getByPlaceholder('Classic Query');
  await input.fill('label_values(up, instance)');
  await input.press('Tab'); // the editor takes the text on blur
  await page.getByRole('button', { name: 'Run variable query' }).click();
  const values = page.getByTestId('variable-values');
  await page.getByTestId('variable-values').or(page.getByTestId('variable-error')).waitFor();
  expect(await page.getByTestId('variable-error').count()).toBe(0);
  expect((await values.locator('li').allInnerTexts()).sort()).toEqual([...INSTANCES].sort());
  // A selector narrows it, as Grafana sends it: match[] up{job="node",instance=~"web.*"}.
  await input.fill('label_values(up{instance=~"web.*"}, instance)');
  await input.press('Tab');
  await page.getByRole('button', { name: 'Run variable query' }).click();
  await eventually(async () => ((await values.getAttribute('data-count')) === '2' ? true : undefined), 'two values');
  expect((await values.locator('li').allInnerTexts()).sort()).toEqual(['web-1:9100', 'web-2:9100']);
  await browser.screenshot(page, 'prometheus-variable');
  expect(browser.pageErrors).toEqual([]);
});
