/** @jest-environment node */
import { eventually } from '@nester/testing/services';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Page } from 'playwright-core';

import { TestAdapter, startAdapter } from '../support/adapter';
import { TestBrowser, launchBrowser } from '../support/browser';
import { Stack, startStack } from '../support/stack';

// Issue 15's proof for provisioning/: the sandbox reads the repository's provisioning directory
// as Grafana would (its environment naming nester, the timescale-adapter and their tokens, as the
// systemd drop-in does) on the real stack: PostgreSQL, nester, the timescale-adapter binary and an
// enrolled harvester pushing its metrics to it, with an X desktop. Chromium opens both provisioned
// dashboards: every panel's queries answer with data and no error, its transformations give data,
// and the Harvester dashboard's remote desktop and terminal connect to the machine.

jest.setTimeout(180_000);

const PROVISIONING = path.resolve(__dirname, '..', '..', '..', 'provisioning');

let adapter: TestAdapter;
let stack: Stack;
let browser: TestBrowser;
let page: Page;
let queueDir: string;

interface QueryReport {
  refId: string;
  frames: number;
  points: number;
  error: string;
}

interface PanelReport {
  title: string;
  type: string;
  state: string;
  rows: number;
  queries: QueryReport[];
  errors: string[];
}

/** Every query panel of the page: its state, what each query answered, rows after transformations. */
function panelReports(): Promise<PanelReport[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="dashboard-panel"]')].map((panel) => {
      const result = panel.querySelector<HTMLElement>('[data-testid="panel-result"]');
      return {
        title: panel.dataset.panelTitle ?? '',
        type: panel.dataset.panelType ?? '',
        state: result?.dataset.state ?? 'missing',
        rows: Number(result?.dataset.rows ?? 0),
        queries: [...panel.querySelectorAll<HTMLElement>('[data-testid="panel-query"]')].map((query) => ({
          refId: query.dataset.refId ?? '',
          frames: Number(query.dataset.frames),
          points: Number(query.dataset.points),
          error: query.dataset.error ?? '',
        })),
        errors: [...panel.querySelectorAll<HTMLElement>('[data-testid="panel-error"]')].map((e) => e.innerText),
      };
    }),
  );
}

/** What is wrong with a panel's answer: empty when every query gave data and the panel has some to show. */
function problems(panel: PanelReport): string[] {
  const found = [
    ...(panel.state !== 'Done' ? [`state ${panel.state}`] : []),
    ...panel.errors,
    ...panel.queries
      .filter((q) => q.error || q.frames === 0 || q.points === 0)
      .map((q) => `${q.refId}: ${q.error || 'no data'}`),
    ...(panel.rows === 0 ? ['no rows after transformations'] : []),
  ];
  return found;
}

/**
 * Opens a dashboard until every query panel has answered with data (the harvester's first
 * samples take a few pushes to make rates), then returns the panels' reports.
 */
async function openUntilAnswered(url: string, expectedPanels: number): Promise<PanelReport[]> {
  let last: PanelReport[] = [];
  try {
    return await eventually(
      async () => {
        await page.goto(url);
        await page.getByTestId('dashboard').waitFor();
        await page.waitForFunction(
          (count) => {
            const results = [...document.querySelectorAll<HTMLElement>('[data-testid="panel-result"]')];
            return results.length === count && results.every((result) => result.dataset.state !== 'Loading');
          },
          expectedPanels,
          { timeout: 30_000 },
        );
        last = await panelReports();
        return last.every((panel) => problems(panel).length === 0) ? last : undefined;
      },
      `every panel of ${url} to answer with data`,
      60_000,
    );
  } catch (err) {
    const failing = last
      .map((panel) => ({ title: panel.title, problems: problems(panel) }))
      .filter((p) => p.problems.length);
    throw new Error(`${(err as Error).message}\n${JSON.stringify(failing, null, 2)}`, { cause: err });
  }
}

/** The number of query panels (not rows, not our plugin panels) of a provisioned dashboard file. */
function queryPanelCount(file: string): number {
  const dashboard = JSON.parse(fs.readFileSync(path.join(PROVISIONING, 'dashboards', 'nester', file), 'utf8'));
  return (dashboard.panels as Array<{ type: string }>).filter(
    (panel) => panel.type !== 'row' && !panel.type.startsWith('nester-'),
  ).length;
}

beforeAll(async () => {
  adapter = await startAdapter();
  queueDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harvester-queue-'));
  stack = await startStack({
    agentArgs: [
      // The collectors the dashboards read (node_exporter's defaults; the test harvester starts without).
      ...['cpu', 'meminfo', 'loadavg', 'filesystem', 'netdev', 'diskstats', 'stat', 'time', 'uname'].map(
        (c) => `--collector.${c}`,
      ),
      `--push.url=${adapter.url}/api/v1/write`,
      `--push.bearer-token-file=${adapter.writeTokenFile}`,
      '--push.interval=1s',
      `--push.queue.dir=${queueDir}`,
    ],
    // Grafana's environment, as the drop-in gives it: nothing else reaches the files.
    sandboxFor: (nester) => ({
      provisioningDir: PROVISIONING,
      env: {
        NESTER_URL: nester.url,
        NESTER_API_TOKEN: nester.apiToken,
        ADAPTER_URL: adapter.url,
        ADAPTER_READ_TOKEN: adapter.readToken,
      },
    }),
    appProvisioned: true,
  });
  browser = await launchBrowser();
  page = await browser.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await adapter?.stop();
  if (queueDir) {
    fs.rmSync(queueDir, { recursive: true, force: true });
  }
});

test('the home page lists both provisioned dashboards', async () => {
  await page.goto(stack.sandbox.url);
  const cards = page.getByTestId('dashboard-card');
  await cards.first().waitFor();
  expect(await cards.allInnerTexts()).toEqual([
    expect.stringContaining('Fleet overview'),
    expect.stringContaining('Harvester'),
  ]);
});

test('Fleet overview: every panel answers with data, the harvester in its table', async () => {
  const panels = await openUntilAnswered(
    `${stack.sandbox.url}d/nester-fleet-overview`,
    queryPanelCount('fleet-overview.json'),
  );
  expect(panels.map((panel) => ({ title: panel.title, problems: problems(panel) }))).toEqual(
    panels.map((panel) => ({ title: panel.title, problems: [] })),
  );
  const table = page.locator(
    '[data-testid="dashboard-panel"][data-panel-title="Harvesters"] [data-testid="panel-table"]',
  );
  expect(await table.innerText()).toContain(stack.hostname);
  await browser.screenshot(page, 'provisioning-fleet-overview', { fullPage: true });
});

test('Harvester: every panel answers with data for the machine; its desktop and terminal connect', async () => {
  const panels = await openUntilAnswered(`${stack.sandbox.url}d/nester-harvester`, queryPanelCount('harvester.json'));
  expect(panels.map((panel) => ({ title: panel.title, problems: problems(panel) }))).toEqual(
    panels.map((panel) => ({ title: panel.title, problems: [] })),
  );
  const instance = page.getByLabel('Variable instance');
  expect(await instance.inputValue()).toMatch(new RegExp(`^${stack.hostname.replace(/[.]/g, '\\.')}:\\d+$`));

  for (const type of ['nester-remotedesktop-panel', 'nester-terminal-panel']) {
    const panel = page.locator(`[data-testid="dashboard-plugin-panel"][data-panel-type="${type}"]`);
    await eventually(
      async () => ((await panel.getByTestId('session-state').count()) === 0 ? true : undefined),
      `${type} to connect`,
      60_000,
    );
  }
  await page.locator('[data-testid="terminal-screen"] .xterm-rows').waitFor();
  await browser.screenshot(page, 'provisioning-harvester', { fullPage: true });
  expect(browser.pageErrors).toEqual([]);
});
