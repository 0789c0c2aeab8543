/** @jest-environment node */
import { eventually } from '@nester/testing/services';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Page } from 'playwright-core';

import { TestAdapter, series, startAdapter } from '../support/adapter';
import { TestBrowser, launchBrowser } from '../support/browser';
import { Stack, startStack } from '../support/stack';

// nester-timescale-datasource on the real stack: the timescale-adapter binary on a test database
// with data sent by remote_write (a counter of known slope) and pushed by a real harvester agent,
// which nester also knows; the sandbox applies the datasource's proxy route; Chromium drives the
// settings page, the query editor and the fleet app's Harvester page. Tests run in order: the
// last one breaks the read token.

jest.setTimeout(45_000);

const DS_UID = 'fleet-metrics';
const INSTANCES = ['a', 'b', 'c'];
const STEP_MS = 15_000;
const PAST_POINTS = 81;
// The series also runs 30 minutes ahead of the clock: however long the stack takes to start, the
// rate window that ends at the query's "now" is fully covered (a partly covered one gave 0.84).
const POINTS = PAST_POINTS + 120;

let adapter: TestAdapter;
let stack: Stack;
let browser: TestBrowser;
let page: Page;
let queueDir: string;

/** The adapter's own answers, asked directly with the read token. */
async function adapterGet(apiPath: string) {
  const response = await fetch(`${adapter.url}${apiPath}`, {
    headers: { Authorization: `Bearer ${adapter.readToken}` },
  });
  return response.json();
}

const explore = (query: object, extra = '') =>
  `${stack.sandbox.url}sandbox/datasource?uid=${DS_UID}&query=${encodeURIComponent(JSON.stringify(query))}${extra}`;

async function pick(label: string, option: string) {
  await page.getByLabel(label, { exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function summary() {
  const element = page.getByTestId('query-summary');
  await page.getByTestId('query-state').filter({ hasText: 'Done' }).waitFor();
  return {
    series: Number(await element.getAttribute('data-series')),
    rows: Number(await element.getAttribute('data-rows')),
  };
}

beforeAll(async () => {
  adapter = await startAdapter();
  // e2e_requests_total{instance="a"} grows by 1 per second, "b" by 2, "c" by 3: rate() is known.
  const start = Date.now() - (PAST_POINTS - 1) * STEP_MS;
  await adapter.write(
    INSTANCES.map((instance, i) =>
      series(
        'e2e_requests_total',
        { instance, job: 'e2e' },
        Array.from(
          { length: POINTS },
          (_, k) => [start + k * STEP_MS, ((i + 1) * k * STEP_MS) / 1000] as [number, number],
        ),
      ),
    ),
  );
  queueDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harvester-queue-'));
  stack = await startStack({
    desktop: false,
    agentArgs: [
      '--collector.cpu',
      '--collector.meminfo',
      '--collector.loadavg',
      '--collector.filesystem',
      `--push.url=${adapter.url}/api/v1/write`,
      `--push.bearer-token-file=${adapter.writeTokenFile}`,
      '--push.interval=1s',
      `--push.queue.dir=${queueDir}`,
    ],
    sandbox: {
      datasources: [
        {
          name: 'Fleet metrics',
          type: 'nester-timescale-datasource',
          uid: DS_UID,
          access: 'proxy',
          url: adapter.url,
          jsonData: { scrapeInterval: '15s' },
          secureJsonData: { readToken: adapter.readToken },
        },
      ],
    },
    // The agent's pushes carry no harvester_id yet: this page joins them by hostname, a custom selector.
    appJsonData: { metricsDatasourceUid: DS_UID, metricsSelector: 'instance=~"${hostname}(:[0-9]+)?"' },
  });
  browser = await launchBrowser();
  page = await browser.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await adapter?.stop();
  if (queueDir) {
    fs.rmSync(queueDir, { recursive: true, force: true });
  }
});

test('Save & test reports the storage the adapter found', async () => {
  await page.goto(`${stack.sandbox.url}connections/datasources/edit/${DS_UID}`);
  await page.getByRole('button', { name: 'Save & test' }).click();
  const result = page.getByTestId('datasource-test-result');
  await result.waitFor();
  expect(await result.getAttribute('data-status')).toBe('success');
  const { data: status } = await adapterGet('/api/v1/status');
  const storage =
    status.storage.engine === 'timescaledb'
      ? `TimescaleDB ${status.storage.timescaledb}`
      : `PostgreSQL ${status.storage.postgres}`;
  expect(await result.textContent()).toMatch(
    new RegExp(`Connected to the timescale-adapter: ${storage}.*; \\d+ metric names stored`),
  );
});

test('the query editor lists the metric names stored in the adapter', async () => {
  await page.goto(explore({}));
  const stored: string[] = (await adapterGet('/api/v1/label/__name__/values')).data;
  expect(stored).toEqual(expect.arrayContaining(['e2e_requests_total', 'node_load1']));
  await page.getByLabel('Metric', { exact: true }).click();
  await page.getByRole('option', { name: 'e2e_requests_total', exact: true }).waitFor();
  const listed = (await page.getByRole('option').allInnerTexts()).map((text) => text.trim());
  // The agent may add names meanwhile; every listed name is the adapter's, none it had is missing.
  const storedAfter: string[] = (await adapterGet('/api/v1/label/__name__/values')).data;
  expect(listed).toEqual(expect.arrayContaining(stored));
  expect(storedAfter).toEqual(expect.arrayContaining(listed));
  await page.keyboard.press('Escape');
});

test('a rate() query draws one series per instance, with the rates the data has', async () => {
  await pick('Metric', 'e2e_requests_total');
  await pick('Range function', 'rate');
  expect(await page.getByTestId('timescale-expression').textContent()).toBe(
    'rate(e2e_requests_total[$__rate_interval])',
  );
  await page.getByRole('button', { name: 'Run query' }).click();
  expect(await summary()).toMatchObject({ series: 3 });
  const preview = page.getByTestId('timeseries-preview');
  expect(await preview.locator('canvas').count()).toBeGreaterThan(0);
  // The legend's last values, as Grafana UI displays them (e.g. "2.00").
  const last = async (name: string) => {
    const found = new RegExp(`${name.replace(/[{}]/g, '\\$&')}\\s+([\\d.]+)`).exec(await preview.innerText());
    return found ? Number(found[1]) : undefined;
  };
  for (const [i, instance] of INSTANCES.entries()) {
    expect(await last(`{instance="${instance}", job="e2e"}`)).toBe(i + 1);
  }
  await browser.screenshot(page, 'datasource-rate');

  await pick('Aggregation', 'sum');
  await page.getByRole('button', { name: 'Run query' }).click();
  expect(await summary()).toMatchObject({ series: 1 });
  expect(await last('{}')).toBe(6);
});

test('a raw SQL query returns rows; a variable value stays a literal, even an injection attempt', async () => {
  const sql =
    "SELECT l.labels->>'instance' AS instance, count(*) AS samples FROM samples s JOIN series_labels l USING (series_id) " +
    "WHERE l.metric_name = 'e2e_requests_total' AND l.labels->>'instance' IN ($instance) GROUP BY 1 ORDER BY 1";
  const injection = encodeURIComponent("x'); DROP TABLE samples; --");
  await page.goto(explore({ mode: 'sql', sql }, `&range=1h&var-instance=a&var-instance=b&var-instance=${injection}`));
  expect(await summary()).toMatchObject({ rows: 2 });
  const table = page.getByTestId('table-preview');
  const rows = await table.locator('tbody tr').allInnerTexts();
  expect(rows.map((row) => row.split('\t').map((cell) => cell.trim()))).toEqual([
    ['a', String(POINTS)],
    ['b', String(POINTS)],
  ]);
  await browser.screenshot(page, 'datasource-sql');
  // The samples are all still there.
  expect((await adapterGet('/api/v1/label/instance/values?match[]=e2e_requests_total')).data).toEqual(INSTANCES);
});

test("a query the adapter refuses shows the adapter's reason", async () => {
  await page.goto(explore({ metric: 'e2e_requests_total', matchers: [{ label: 'instance', op: '=~', value: '(a' }] }));
  await page.getByTestId('query-error').waitFor();
  expect(await page.getByTestId('query-error').textContent()).toMatch(
    /invalid regular expression "\(a": error parsing regexp: missing closing \): `\(a`/,
  );
});

test("the fleet app's Harvester page shows the harvester's recent metrics from this datasource", async () => {
  const hasRootFs = (
    await adapterGet('/api/v1/label/mountpoint/values?match[]=node_filesystem_avail_bytes')
  ).data.includes('/');
  const value = async (refId: string) => {
    const card = page.getByTestId(`recent-${refId}`);
    return (await card.count()) ? Number((await card.getAttribute('data-value')) || NaN) : NaN;
  };
  await eventually(
    async () => {
      await page.goto(`${stack.sandbox.url}a/nester-fleet-app/harvesters/${stack.harvesterId}`);
      await page.getByTestId('recent-load').waitFor();
      return Number.isFinite(await value('cpu')) && Number.isFinite(await value('memory')) ? true : undefined;
    },
    'CPU and memory figures from the pushed samples',
    25_000,
  );
  expect(await value('cpu')).toBeGreaterThanOrEqual(0);
  expect(await value('cpu')).toBeLessThanOrEqual(100);
  expect(await value('memory')).toBeGreaterThan(0);
  expect(await value('memory')).toBeLessThan(100);
  expect(await value('load')).toBeGreaterThanOrEqual(0);
  expect(Number.isFinite(await value('disk'))).toBe(hasRootFs);
  expect(await page.getByTestId('recent-metrics').getByTestId('error-state').count()).toBe(0);
  await browser.screenshot(page, 'harvester-recent-metrics');
});

test('a wrong read token shows as the 401 it is: in Save & test, in queries and in the editor', async () => {
  await page.goto(`${stack.sandbox.url}connections/datasources/edit/${DS_UID}`);
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByPlaceholder('read token').fill('not-the-read-token');
  await page.getByRole('button', { name: 'Save & test' }).click();
  const result = page.getByTestId('datasource-test-result');
  await result.waitFor();
  expect(await result.getAttribute('data-status')).toBe('error');
  expect(await result.textContent()).toMatch(/refused the read token \(401\)/);

  await page.goto(explore({ metric: 'e2e_requests_total' }));
  await page.getByTestId('query-error').waitFor();
  expect(await page.getByTestId('query-error').textContent()).toMatch(/refused the read token \(401\)/);
  await page.getByLabel('Metric', { exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'refused the read token' }).first().waitFor();
  await browser.screenshot(page, 'datasource-wrong-token');
  expect(browser.pageErrors).toEqual([]);
});
