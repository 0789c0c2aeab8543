/** @jest-environment node */
import { eventually } from '@nester/testing/services';
import { Page } from 'playwright-core';

import { TestBrowser, launchBrowser, signIn } from '../support/browser';
import { Stack, startStack } from '../support/stack';

// One identity per machine, end to end: PostgreSQL, the nester binary, an enrolled harvester,
// the built plugins in the sandbox, Chromium. An Admin edits the machine's labels in the app and
// the agent gets them; the same machine enrolled again shows as one machine, the old enrolment
// marked replaced; a revoked one is deleted from the list. The tests run in order.

jest.setTimeout(60_000);

let stack: Stack;
let browser: TestBrowser;
let page: Page;
let machineId: string;

beforeAll(async () => {
  stack = await startStack({ desktop: false });
  browser = await launchBrowser();
  page = await browser.newPage();
  machineId = (await stack.api('GET', `/api/v1/harvesters/${stack.harvesterId}`)).body.machineId;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const fleetUrl = (query = '') => `${stack.sandbox.url}a/nester-fleet-app/fleet${query}`;
const row = (id: string) => page.locator(`[data-testid="harvester-row"][data-harvester="${id}"]`);
const rowIds = () =>
  page
    .locator('[data-testid="harvester-row"]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-harvester')));

test("an Admin edits the machine's labels; nester keeps them and the fleet list filters by them", async () => {
  await signIn(page, stack.sandbox.url, 'admin', 'Admin');
  await page.goto(`${stack.sandbox.url}a/nester-fleet-app/harvesters/${stack.harvesterId}`);
  await page.getByRole('button', { name: 'Edit labels' }).click();
  await page.getByRole('button', { name: 'Add label' }).click();
  await page.getByLabel('Label name 1').fill('instance');
  await page.getByLabel('Label value 1').fill('x');
  await page.getByRole('button', { name: 'Save labels' }).click();
  // Checked before sending, with nester's words.
  await page.getByText(/label "instance" is reserved/).waitFor();
  await page.getByLabel('Label name 1').fill('rack');
  await page.getByLabel('Label value 1').fill('r7');
  await page.getByRole('button', { name: 'Save labels' }).click();
  await page.getByTestId('harvester-labels').getByText('rack=r7').waitFor();
  const stored = (await stack.api('GET', `/api/v1/harvesters/${stack.harvesterId}`)).body;
  expect(stored).toMatchObject({ labels: { rack: 'r7' }, labelsSetByOperator: true });
  await browser.screenshot(page, 'identity-labels');

  await page.goto(fleetUrl('?label=rack%3Dr7'));
  await row(stack.harvesterId).waitFor();
  expect(await row(stack.harvesterId).textContent()).toContain('rack=r7');
  await page.goto(fleetUrl('?label=rack%3Dr8'));
  await page.getByText('No harvester matches these filters.').waitFor();
});

test('a Viewer sees the labels but cannot edit them', async () => {
  await signIn(page, stack.sandbox.url, 'viewer', 'Viewer');
  await page.goto(`${stack.sandbox.url}a/nester-fleet-app/harvesters/${stack.harvesterId}`);
  await page.getByTestId('harvester-labels').getByText('rack=r7').waitFor();
  expect(await page.getByRole('button', { name: 'Edit labels' }).count()).toBe(0);
});

test('the same machine enrolled again is one machine: the old enrolment is marked replaced and can be hidden', async () => {
  const { body: token } = await stack.api('POST', '/api/v1/enrollment-tokens', {});
  const enrolled = await fetch(`${stack.nesterUrl}/api/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: token.token, facts: { hostname: stack.hostname, machineId } }),
  });
  expect(enrolled.status).toBe(201);
  const { harvesterId: newer } = (await enrolled.json()) as { harvesterId: string };

  await signIn(page, stack.sandbox.url, 'admin', 'Admin');
  await page.goto(fleetUrl());
  await row(stack.harvesterId).getByTestId('replaced-by').waitFor();
  expect(await row(stack.harvesterId).getByTestId('replaced-by').textContent()).toContain(newer);
  // The new enrolment took over the labels the Admin gave the machine.
  expect(await row(newer).textContent()).toContain('rack=r7');
  await browser.screenshot(page, 'identity-replaced');

  await page.getByRole('switch', { name: 'Hide revoked and replaced' }).check({ force: true });
  await eventually(async () => {
    const ids = await rowIds();
    return ids.length === 1 && ids[0] === newer ? true : undefined;
  }, 'one row for the machine');
  expect(page.url()).toContain('retired=hide');
});

test('an Admin deletes a revoked harvester and it leaves the list', async () => {
  await stack.api('POST', `/api/v1/harvesters/${stack.harvesterId}/revoke`, {});
  await page.goto(fleetUrl());
  await row(stack.harvesterId).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await eventually(async () => ((await row(stack.harvesterId).count()) === 0 ? true : undefined), 'the row to go');
  expect((await stack.api('GET', `/api/v1/harvesters/${stack.harvesterId}`)).status).toBe(404);
  // Its audit events staying is nester's part (nester/test/machine-identity.test.ts): no proxy route reads them.
});

test('no page threw an uncaught error', () => {
  expect(browser.pageErrors).toEqual([]);
});
