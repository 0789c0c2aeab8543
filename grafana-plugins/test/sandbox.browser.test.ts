/** @jest-environment node */
import path from 'node:path';

import { Sandbox } from '@nester/sandbox/server/server';
import { TestBrowser, launchBrowser, signIn } from './support/browser';
import { startTestSandbox } from './support/sandbox';

// The sandbox alone (no nester): loading plugins as Grafana does, enabling and configuring the
// app, and the failures it must make loud.

jest.setTimeout(30_000);

let browser: TestBrowser;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox({
    pluginRoots: [path.join(__dirname, '..', 'dist'), path.join(__dirname, 'fixtures', 'async-plugin')],
    defaultUser: { login: 'admin', role: 'Admin' },
  });
  browser = await launchBrowser();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

test('a disabled app keeps its panels disabled, as Grafana does', async () => {
  const page = await browser.newPage();
  await page.goto(`${sandbox.url}a/nester-fleet-app/fleet`);
  await page.getByText('App not enabled').waitFor();
  await page.goto(`${sandbox.url}sandbox/panel?type=nester-terminal-panel`);
  await page.getByText('Panel not available').waitFor();
  await page.close();
});

test('an admin enables and configures the app; the token is stored but never shown again', async () => {
  const page = await browser.newPage();
  await page.goto(`${sandbox.url}plugins/nester-fleet-app`);
  await page.getByRole('button', { name: 'Enable' }).click();
  await page.getByText('nester-fleet-app · version 0.1.0 · enabled').waitFor();
  await page.locator('#nesterUrl').fill('http://127.0.0.1:1/');
  await page.locator('#apiToken').fill('the-api-token');
  await page.getByRole('button', { name: 'Save and test' }).click();
  const outcome = page.getByTestId('config-outcome');
  await outcome.waitFor();
  expect(await outcome.textContent()).toMatch(/Saved, but nester did not answer.*could not reach nester/);
  await browser.screenshot(page, 'sandbox-config-page');

  const settings = await (await page.request.get(`${sandbox.url}api/plugins/nester-fleet-app/settings`)).json();
  expect(settings.jsonData).toEqual({ nesterUrl: 'http://127.0.0.1:1' });
  expect(settings.secureJsonFields).toEqual({ apiToken: true });
  expect(JSON.stringify(settings)).not.toContain('the-api-token');
  await page.reload();
  expect(await page.locator('#apiToken').inputValue()).toBe('configured');
  await page.close();
});

test('a Viewer cannot change plugin settings', async () => {
  const page = await browser.newPage();
  await signIn(page, sandbox.url, 'vera', 'Viewer');
  await page.goto(`${sandbox.url}plugins/nester-fleet-app`);
  await page.getByText('Only organisation admins can change plugin settings.').waitFor();
  expect(await page.getByRole('button', { name: /Enable|Disable/ }).count()).toBe(0);
  await signIn(page, sandbox.url, 'admin', 'Admin');
  await page.close();
});

test('panels load through SystemJS and show their states plainly', async () => {
  const page = await browser.newPage();
  await page.goto(`${sandbox.url}sandbox/panel?type=nester-remotedesktop-panel`);
  const state = page.getByTestId('session-state');
  await state.waitFor();
  expect(await state.getAttribute('data-state')).toBe('no-harvester');
  expect(await state.textContent()).toContain('No harvester selected');
  await browser.screenshot(page, 'sandbox-remotedesktop-no-harvester');

  // Options from the options pane and variables from the dashboard reach the panel.
  await page.goto(
    `${sandbox.url}sandbox/panel?type=nester-terminal-panel&var-host=web-07&options=${encodeURIComponent('{"harvester":"$host"}')}`,
  );
  await page.getByTestId('session-state').waitFor();
  await page.waitForFunction(() =>
    /nester unreachable|could not reach nester/i.test(
      document.querySelector('[data-testid="session-state"]')?.textContent ?? '',
    ),
  );
  expect(await page.getByTestId('option-fontSize').count()).toBe(1);
  await page.close();
});

test('a module whose AMD factory returns a Promise fails loudly instead of rendering nothing', async () => {
  const page = await browser.newPage();
  await page.goto(`${sandbox.url}sandbox/panel?type=nester-asyncfixture-panel`);
  const error = page.getByTestId('plugin-load-error');
  await error.waitFor();
  expect(await error.textContent()).toMatch(/AMD factory returned a Promise.*dynamic import\(\)/);
  await page.close();
});

test('no page threw an uncaught error', () => {
  expect(browser.pageErrors).toEqual([]);
});
