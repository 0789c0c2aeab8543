/** @jest-environment node */
import { RunningHarvester, scrape, startHarvester } from '@nester/testing/harvester';
import { eventually } from '@nester/testing/services';
import { execFileSync } from 'node:child_process';
import { Page } from 'playwright-core';

import { TestAdapter, startAdapter } from '../support/adapter';
import { TestBrowser, launchBrowser, signIn } from '../support/browser';
import { healthSeries, simulatedSeries } from '../support/health';
import { Stack, startStack } from '../support/stack';

// The operator's cockpit on the real stack: nester with the real agent online and 60 simulated
// machines enrolled through its API, the timescale-adapter holding health samples labelled with
// harvester_id (the real machine's from a real agent's scrape of this machine, the simulated
// ones made up), the sandbox with nester-timescale-datasource, Chromium.

jest.setTimeout(60_000);

const DS_UID = 'fleet-metrics';
const SIMULATED = 60;
const HOT = 'sim-00'; // CPU 95 %, memory 90 %, disk 85 %, load 3 on 2 CPUs
const STEP_MS = 15_000;

let adapter: TestAdapter;
let stack: Stack;
let probe: RunningHarvester;
let browser: TestBrowser;
let page: Page;
const simulated = new Map<string, string>(); // hostname → harvester id

/** df's Use% of the root filesystem, now. */
const dfRoot = () => Number(/(\d+)%/.exec(execFileSync('df', ['--output=pcent', '/']).toString())![1]);

async function enrolSimulated() {
  const { body: token } = await stack.api('POST', '/api/v1/enrollment-tokens', {
    description: 'simulated fleet',
    maxUses: SIMULATED,
    ttl: '10m',
  });
  for (let i = 0; i < SIMULATED; i++) {
    const hostname = `sim-${String(i).padStart(2, '0')}`;
    const response = await fetch(`${stack.nesterUrl}/api/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: token.token,
        facts: {
          hostname,
          machineId: `machine-${i}`,
          agentVersion: '0.1.0',
          os: { id: 'debian', name: 'Debian GNU/Linux', version: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
          labels: { site: i % 2 ? 'lyon' : 'paris' },
        },
      }),
    });
    if (response.status !== 201) {
      throw new Error(`enrolment of ${hostname}: ${response.status} ${await response.text()}`);
    }
    simulated.set(hostname, ((await response.json()) as { harvesterId: string }).harvesterId);
  }
}

/** Health samples: made-up ones for the simulated machines, a real scrape of this one for the agent. */
async function pushHealth() {
  const now = Date.now();
  const from = now - 10 * 60_000;
  const to = now + 30 * 60_000; // ahead of the clock: the window at the query's "now" is always covered
  for (const [hostname, id] of simulated) {
    const hot = hostname === HOT;
    await adapter.write(
      simulatedSeries(
        id,
        hot
          ? { cpuPercent: 95, cpus: 2, memoryPercent: 90, diskPercent: 85, load1: 3 }
          : { cpuPercent: 10, cpus: 2, memoryPercent: 30, diskPercent: 40, load1: 0.2 },
        from,
        to,
        STEP_MS,
      ),
    );
  }
  const labels = { harvester_id: stack.harvesterId, job: 'harvester', instance: `${stack.hostname}:9100` };
  // Two scrapes apart in time, so the CPU counters have a rate.
  await adapter.write(healthSeries(await scrape(probe.url), labels, Date.now()));
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await adapter.write(healthSeries(await scrape(probe.url), labels, Date.now()));
}

beforeAll(async () => {
  adapter = await startAdapter();
  stack = await startStack({
    desktop: false,
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
    appJsonData: { metricsDatasourceUid: DS_UID },
  });
  // The same agent binary on the same machine, scraped the way Prometheus would.
  probe = await startHarvester([
    '--collector.cpu',
    '--collector.meminfo',
    '--collector.loadavg',
    '--collector.filesystem',
    '--collector.stat',
    '--collector.time',
  ]);
  await enrolSimulated();
  await pushHealth();
  browser = await launchBrowser();
  page = await browser.newPage();
  await signIn(page, stack.sandbox.url, 'admin', 'Admin');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await probe?.service.stop();
  await stack?.stop();
  await adapter?.stop();
});

const row = (id: string) => page.locator(`[data-testid="harvester-row"][data-harvester="${id}"]`);
const count = async (testId: string) => Number(await page.getByTestId(testId).getAttribute('data-count'));

// Online first: the real machine and sim-00… on the first page, whatever this machine's hostname.
const fleetByStatus = () => `${stack.sandbox.url}a/nester-fleet-app/fleet?sort=status`;

test('the summary strip counts presence and the machines past their thresholds, fleet-wide', async () => {
  await page.goto(fleetByStatus());
  await page.getByTestId('fleet-summary').waitFor();
  expect(await count('summary-online')).toBe(1);
  expect(await count('summary-offline')).toBe(SIMULATED);
  expect(await count('summary-revoked')).toBe(0);
  // The stack's nester serves release 9.9.9: every agent is older.
  expect(await count('summary-outdated')).toBe(SIMULATED + 1);
  await eventually(
    async () => ((await page.getByTestId('summary-high-cpu').getAttribute('data-count')) !== '' ? true : undefined),
    'the fleet-wide health counts',
  );
  // Only the hot simulated machine is past 80 % (this machine's own figures are not asserted:
  // its CPU and memory depend on what else runs; its disk is checked against df below).
  await eventually(
    async () =>
      (await row(stack.harvesterId).getByTestId('health-cpu').getAttribute('data-value')) ? true : undefined,
    "this machine's figures in its row",
  );
  const real = { cpu: 0, memory: 0, disk: 0, load: 0 };
  for (const key of ['cpu', 'memory', 'disk', 'load'] as const) {
    const cell = row(stack.harvesterId).getByTestId(`health-${key}`);
    real[key] = (await cell.getAttribute('data-color')) === 'red' ? 1 : 0;
  }
  expect(await count('summary-high-cpu')).toBe(1 + real.cpu);
  expect(await count('summary-high-memory')).toBe(1 + real.memory);
  expect(await count('summary-high-disk')).toBe(1 + real.disk);
  expect(await count('summary-high-load')).toBe(1 + real.load);
  await browser.screenshot(page, 'fleet-summary');
});

test('rows carry health columns coloured by threshold, from one datasource request for the page', async () => {
  const requests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/datasources/') && request.method() === 'POST') {
      requests.push(request.postData() ?? '');
    }
  });
  await page.goto(fleetByStatus());
  const hot = row(simulated.get(HOT)!);
  await eventually(
    async () => ((await hot.getByTestId('health-cpu').getAttribute('data-value')) ? true : undefined),
    'the health columns',
  );
  expect(Number(await hot.getByTestId('health-cpu').getAttribute('data-value'))).toBeCloseTo(95, 0);
  expect(Number(await hot.getByTestId('health-memory').getAttribute('data-value'))).toBeCloseTo(90, 5);
  expect(Number(await hot.getByTestId('health-disk').getAttribute('data-value'))).toBeCloseTo(85, 5);
  expect(Number(await hot.getByTestId('health-load').getAttribute('data-value'))).toBe(3);
  for (const key of ['cpu', 'memory', 'disk', 'load']) {
    expect(await hot.getByTestId(`health-${key}`).getAttribute('data-color')).toBe('red');
  }
  const cool = row(simulated.get('sim-01')!);
  for (const key of ['cpu', 'memory', 'disk', 'load']) {
    expect(await cool.getByTestId(`health-${key}`).getAttribute('data-color')).toBe('green');
  }
  expect(await hot.getByTestId('health-uptime').textContent()).toMatch(/^1\d? d \d+ h$/);
  expect(await hot.getByTestId('health-last-push').textContent()).toMatch(/just now|\d+ s ago/);
  // This machine's fullest disk is its root filesystem, and the figure is df's.
  const disk = Number(await row(stack.harvesterId).getByTestId('health-disk').getAttribute('data-value'));
  expect(Math.abs(Math.ceil(disk) - dfRoot())).toBeLessThanOrEqual(1);
  // One request for the page's 50 rows and one for the fleet-wide counts: not one per row.
  const health = requests.filter((body) => body.includes('node_load1'));
  expect(health.length).toBeLessThanOrEqual(2);
  await browser.screenshot(page, 'fleet-health');
});

test('pages come from nester 50 at a time; sorting by a column reorders them', async () => {
  await page.goto(`${stack.sandbox.url}a/nester-fleet-app/fleet`);
  // The range line and the rows render from the same answer, but not in the same frame.
  const showing = async (range: string, rows: number) =>
    (await page.getByTestId('fleet-range').textContent()) === range &&
    (await page.getByTestId('harvester-row').count()) === rows
      ? true
      : undefined;
  await eventually(() => showing(`1–50 of ${SIMULATED + 1}`, 50), 'the first page of 50');
  await page.getByRole('button', { name: '2', exact: true }).click();
  await eventually(() => showing(`51–61 of ${SIMULATED + 1}`, 11), 'the second page of 11');

  await page.goto(`${stack.sandbox.url}a/nester-fleet-app/fleet`);
  await page.getByTestId('sort-cpu').click();
  await eventually(
    async () =>
      (await page.getByTestId('harvester-row').first().getAttribute('data-harvester')) === simulated.get(HOT)
        ? true
        : undefined,
    'the busiest machine first',
  );
  // Server-side: hostname descending puts the last simulated machine first.
  await page.getByTestId('sort-hostname').click();
  await page.getByTestId('sort-hostname').click();
  await eventually(async () => {
    const first = await page.getByTestId('harvester-row').first().getAttribute('data-harvester');
    return first === simulated.get('sim-59') || first === stack.harvesterId ? true : undefined;
  }, 'hostnames in reverse');
  expect(new URL(page.url()).searchParams.get('desc')).toBe('1');
  await browser.screenshot(page, 'fleet-sorted');
});

test('the host page: header with the actions, charts with axes, and the root disk as df says', async () => {
  await page.goto(`${stack.sandbox.url}a/nester-fleet-app/harvesters/${stack.harvesterId}`);
  const header = page.getByTestId('harvester-header-facts');
  await header.waitFor();
  expect(await header.textContent()).toContain('online now');
  const actions = page.getByTestId('harvester-actions');
  for (const name of ['Desktop', 'Terminal', 'Sessions', 'Revoke']) {
    await actions
      .getByRole(name === 'Revoke' ? 'button' : 'link', { name })
      .first()
      .waitFor();
  }
  const value = async (refId: string) =>
    Number((await page.getByTestId(`recent-${refId}`).getAttribute('data-value')) || NaN);
  await eventually(
    async () => (Number.isFinite(await value('disk')) && Number.isFinite(await value('cpu')) ? true : undefined),
    'the recent metrics',
  );
  expect(Math.abs(Math.ceil(await value('disk')) - dfRoot())).toBeLessThanOrEqual(1);
  const chart = page.getByTestId('recent-memory').getByRole('img');
  expect(await chart.textContent()).toMatch(/0 %.*100 %/);
  expect(await chart.textContent()).toMatch(/\d\d:\d\d/);
  // The header stays on every tab.
  await page.goto(`${stack.sandbox.url}a/nester-fleet-app/harvesters/${stack.harvesterId}?tab=terminal`);
  await page.getByTestId('harvester-actions').waitFor();
  await page.goto(`${stack.sandbox.url}a/nester-fleet-app/harvesters/${stack.harvesterId}`);
  await page.getByTestId('recent-disk').waitFor();
  await browser.screenshot(page, 'harvester-host-page', { fullPage: true });
});

test('an offline machine keeps its header and actions, desktop and terminal disabled', async () => {
  await page.goto(`${stack.sandbox.url}a/nester-fleet-app/harvesters/${simulated.get('sim-03')}`);
  const header = page.getByTestId('harvester-header-facts');
  await header.waitFor();
  expect(await header.textContent()).toMatch(/Debian GNU\/Linux 12 \(bookworm\) · last seen/);
  const actions = page.getByTestId('harvester-actions');
  expect(await actions.getByRole('link', { name: 'Desktop' }).getAttribute('aria-disabled')).toBe('true');
  expect(await actions.getByRole('link', { name: 'Terminal' }).getAttribute('aria-disabled')).toBe('true');
  await actions.getByRole('button', { name: 'Revoke' }).waitFor();
  await browser.screenshot(page, 'harvester-offline');
});

test("the panels' Harvester option searches nester by hostname, id or label and offers the variables", async () => {
  const options = () => JSON.parse(new URL(page.url()).searchParams.get('options') ?? '{}');
  await page.goto(`${stack.sandbox.url}sandbox/panel?type=nester-terminal-panel&options=%7B%7D&var-host=sim-07`);
  const input = page.locator('#harvester-picker');
  await input.click();
  await page.getByRole('option', { name: /\$host/ }).waitFor();
  await input.fill('sim-05');
  const option = page.getByRole('option').filter({ hasText: simulated.get('sim-05')! });
  await option.waitFor();
  await option.click();
  await eventually(
    () => Promise.resolve(options().harvester === simulated.get('sim-05') ? true : undefined),
    'the id stored',
  );
  // A label finds the machines carrying it; the id of one of them is what a pick stores.
  await input.click();
  await input.fill('site=lyon');
  await page.getByRole('option').filter({ hasText: 'site=lyon' }).first().waitFor();
  // The search answers asynchronously: the previous list may still show for a moment.
  await eventually(
    async () => ((await page.getByRole('option').filter({ hasText: 'site=paris' }).count()) === 0 ? true : undefined),
    'only machines labelled site=lyon offered',
  );
  // The dashboard variable still works: picked, the panel resolves it.
  await input.fill('$ho');
  await page.getByRole('option', { name: /\$host/ }).click();
  await eventually(() => Promise.resolve(options().harvester === '$host' ? true : undefined), 'the variable stored');
  await browser.screenshot(page, 'panel-harvester-picker');
});

test("the app configuration picks the metrics datasource from Grafana's list, not a typed uid", async () => {
  await page.goto(`${stack.sandbox.url}plugins/nester-fleet-app`);
  const picker = page.getByTestId('metrics-datasource-picker');
  await picker.waitFor();
  // The saved uid shows as the datasource's name.
  await picker.getByText('Fleet metrics').waitFor();
  await picker.locator('input').click();
  await page.getByRole('option').filter({ hasText: 'Fleet metrics' }).first().click();
  await page.getByRole('button', { name: 'Save and test' }).click();
  await page.getByTestId('config-outcome').waitFor();
  const settings = await (await page.request.get(`${stack.sandbox.url}api/plugins/nester-fleet-app/settings`)).json();
  expect(settings.jsonData.metricsDatasourceUid).toBe(DS_UID);
  await browser.screenshot(page, 'app-config-datasource-picker');
});

test('no page threw an uncaught error', () => {
  expect(browser.pageErrors).toEqual([]);
});
