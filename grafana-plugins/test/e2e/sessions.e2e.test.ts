/** @jest-environment node */
import { eventually } from '@nester/testing/services';
import { userInfo } from 'node:os';
import { Page } from 'playwright-core';

import { TestBrowser, launchBrowser, signIn } from '../support/browser';
import { Stack, startStack } from '../support/stack';

// Sessions people share, resume and account for (issue #17), end to end: the nester binary, a
// real agent with a real pty, the built plugins in the sandbox, Chromium.

jest.setTimeout(90_000);

let stack: Stack;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  stack = await startStack({ desktop: false });
  browser = await launchBrowser();
  page = await browser.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const panelUrl = (type: string, options: object, extra = '') =>
  `${stack.sandbox.url}sandbox/panel?type=${type}&options=${encodeURIComponent(JSON.stringify(options))}${extra}`;

async function waitConnected(on: Page) {
  await eventually(async () => {
    const state = on.getByTestId('session-state');
    const now = (await state.count()) ? await state.getAttribute('data-state') : 'connected';
    return now === 'connected' ? true : undefined;
  }, 'the session to connect');
}

const terminalText = (on: Page) =>
  on.evaluate(
    () => (document.querySelector('[data-testid="terminal-screen"] .xterm-rows') as HTMLElement)?.innerText ?? '',
  );

const shows = (on: Page, text: string) =>
  eventually(async () => ((await terminalText(on)).includes(text) ? true : undefined), `"${text}" on the terminal`);

test('reloading the page brings the same shell back with its screen', async () => {
  await signIn(page, stack.sandbox.url, 'admin', 'Admin');
  await page.goto(panelUrl('nester-terminal-panel', { harvester: stack.harvesterId, fontSize: 14 }));
  await waitConnected(page);
  // The toolbar says which account the shell runs as (the agent runs as this test's user).
  await eventually(
    async () =>
      (await page.getByTestId('terminal-identity').textContent())?.startsWith(`${userInfo().username}@`)
        ? true
        : undefined,
    'the account the shell runs as',
  );
  await page.getByTestId('terminal-screen').click();
  await page.keyboard.type('KEPT=kept-$((40+2)); echo before-reload-$((1+1))\n');
  await shows(page, 'before-reload-2');
  const { body: before } = await stack.api('GET', '/api/v1/sessions?kind=terminal');
  const sessionId = before.sessions[0].id;

  await page.reload();
  await waitConnected(page);
  // The screen before the reload is replayed, and it is the same shell (its variable is set).
  await shows(page, 'before-reload-2');
  await page.getByTestId('terminal-screen').click();
  await page.keyboard.type('echo "after-reload-$KEPT"\n');
  await shows(page, 'after-reload-kept-42');
  await browser.screenshot(page, 'terminal-resumed');

  const { body: after } = await stack.api('GET', '/api/v1/sessions?kind=terminal');
  expect(after.sessions[0]).toMatchObject({ id: sessionId, endedAt: null });
  // (nester's tests check the session-resumed audit event; Grafana has no route to the events.)

  await page.keyboard.type('exit\n');
  await page.getByText('Disconnected: Shell exited').waitFor();
});

test('two people on one machine see each other; an admin ends one, who is told who and why', async () => {
  const second = await launchBrowser();
  try {
    const bobPage = await second.newPage();
    await signIn(page, stack.sandbox.url, 'alice', 'Admin');
    await signIn(bobPage, stack.sandbox.url, 'bob', 'Admin');
    await page.goto(panelUrl('nester-terminal-panel', { harvester: stack.harvesterId, fontSize: 14 }));
    await bobPage.goto(panelUrl('nester-terminal-panel', { harvester: stack.harvesterId, fontSize: 14 }));
    await waitConnected(page);
    await waitConnected(bobPage);
    // Each sees the other, named.
    const presence = (on: Page) => on.getByTestId('presence-user').allTextContents();

    await eventually(
      async () => ((await presence(page)).some((t) => t.startsWith('bob (terminal')) ? true : undefined),
      'alice to see bob',
    );
    await eventually(
      async () => ((await presence(bobPage)).some((t) => t.startsWith('alice (terminal')) ? true : undefined),
      'bob to see alice',
    );
    await browser.screenshot(page, 'terminal-presence');

    // Alice, an Admin, ends Bob's session from the Sessions page, saying why.
    await bobPage.getByTestId('terminal-screen').click();
    await bobPage.keyboard.type('seq 1 300\n');
    await shows(bobPage, '300');
    const sessionsPage = await browser.newPage();
    await sessionsPage.goto(`${stack.sandbox.url}a/nester-fleet-app/sessions`);
    const bobRow = sessionsPage.locator('[data-testid="live-session-row"][data-user="bob"]');
    await bobRow.waitFor();
    expect(await bobRow.getByTestId('live-session-bytes').textContent()).not.toMatch(/\/ 0 B$/);
    await browser.screenshot(sessionsPage, 'sessions-live');
    await bobRow.getByRole('button', { name: 'End' }).click();
    await sessionsPage.getByLabel('Reason').fill('maintenance window');
    await sessionsPage.getByRole('button', { name: 'End session' }).click();
    await bobRow.waitFor({ state: 'detached' });
    await sessionsPage.close();

    const bobState = bobPage.getByTestId('session-state');
    await bobState.waitFor();
    await eventually(
      async () =>
        (await bobState.textContent())?.includes('ended by admin alice: maintenance window') ? true : undefined,
      'bob to be told who ended his session and why',
    );
    expect(await bobState.textContent()).toContain('Ended by an administrator');
    await second.screenshot(bobPage, 'terminal-ended-by-admin');
  } finally {
    await second.close();
  }
});
