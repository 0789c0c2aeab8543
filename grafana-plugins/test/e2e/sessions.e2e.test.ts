/** @jest-environment node */
import { eventually } from '@nester/testing/services';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { Page } from 'playwright-core';

import { TestBrowser, launchBrowser, signIn, waitConnected } from '../support/browser';
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

test('an admin joins a terminal view-only from the Sessions page, the owner sees it, the recording downloads', async () => {
  const second = await launchBrowser();
  try {
    const bobPage = await second.newPage();
    await signIn(page, stack.sandbox.url, 'alice', 'Admin');
    await signIn(bobPage, stack.sandbox.url, 'bob', 'Admin');
    await page.goto(panelUrl('nester-terminal-panel', { harvester: stack.harvesterId, fontSize: 14 }));
    await waitConnected(page);
    await page.getByTestId('terminal-screen').click();
    await page.keyboard.type('echo owner-$((20+1))\n');
    await shows(page, 'owner-21');
    const { body: live } = await stack.api('GET', '/api/v1/sessions/live');
    const sessionId: string = live.sessions.find(
      (s: { user: string; state: string; kind: string }) =>
        s.user === 'alice' && s.state === 'live' && s.kind === 'terminal',
    ).id;

    // Bob joins from the live list and sees Alice's screen, then what she does next.
    await bobPage.goto(`${stack.sandbox.url}a/nester-fleet-app/sessions`);
    const aliceRow = bobPage.locator(`[data-testid="live-session-row"][data-session="${sessionId}"]`);
    await aliceRow.getByRole('button', { name: 'Join (view-only)' }).click();
    await bobPage.getByTestId('join-view').waitFor();
    await waitConnected(bobPage);
    await shows(bobPage, 'owner-21');
    expect(await bobPage.getByTestId('join-mode').getAttribute('data-typing')).toBe('off');
    // His keyboard does nothing to her shell.
    await bobPage.getByTestId('terminal-screen').click();
    await bobPage.keyboard.type('echo bob-typed-$((3*3))\n');
    await page.keyboard.type('echo owner-again-$((5+5))\n');
    await shows(bobPage, 'owner-again-10');
    expect(await terminalText(page)).not.toContain('bob-typed-9');

    // Alice sees who is watching; the live list says it too.
    const joiner = page.locator('[data-testid="presence-joiner"][data-user="bob"]');
    await joiner.waitFor();
    expect(await joiner.textContent()).toBe('bob (watching, view only)');
    await eventually(
      async () =>
        (await aliceRow.getByTestId('live-session-joiners').textContent())?.includes('bob') ? true : undefined,
      'the live list to name bob',
    );
    // Bob's own bar names Alice, whose session he shares, and not himself.
    await bobPage.locator('[data-testid="presence-user"][data-user="alice"]').waitFor();
    expect(await bobPage.locator('[data-testid="presence-joiner"][data-user="bob"]').count()).toBe(0);
    // Alice's own row, in a second tab of hers, offers End but no Join (she would join herself).
    const aliceList = await browser.newPage();
    await aliceList.goto(`${stack.sandbox.url}a/nester-fleet-app/sessions`);
    const ownRow = aliceList.locator(`[data-testid="live-session-row"][data-session="${sessionId}"]`);
    await ownRow.getByRole('button', { name: 'End' }).waitFor();
    expect(await ownRow.getByRole('button', { name: 'Join' }).count()).toBe(0);
    await aliceList.close();
    await browser.screenshot(page, 'terminal-watched');
    await second.screenshot(bobPage, 'terminal-joined');

    // Bob leaves; Alice's shell goes on and her presence bar forgets him.
    await bobPage.getByRole('button', { name: 'Leave session' }).click();
    await bobPage.getByText('You left this session; it goes on for the others.').waitFor();
    await joiner.waitFor({ state: 'detached' });
    await page.keyboard.type('exit\n');
    await page.getByText('Disconnected: Shell exited').waitFor();

    // The recording downloads from its replay as an asciicast v2 file named for the machine and session.
    await bobPage.goto(`${stack.sandbox.url}a/nester-fleet-app/sessions`);
    const row = bobPage.locator(`[data-testid="session-row"][data-session="${sessionId}"]`);
    await row.getByRole('button', { name: 'Replay' }).click();
    const downloadButton = bobPage.getByTestId('download-cast');
    await downloadButton.waitFor();
    await second.screenshot(bobPage, 'recording-download');
    const downloading = bobPage.waitForEvent('download');
    await downloadButton.click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(new RegExp(`-${sessionId}\\.cast$`));
    const file = await download.path();
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(JSON.parse(lines[0])).toMatchObject({ version: 2, width: expect.any(Number), height: expect.any(Number) });
    const events = lines.slice(1).map((line) => JSON.parse(line) as [number, string, string]);
    expect(
      events.every(([time, code, data]) => typeof time === 'number' && /^[or]$/.test(code) && typeof data === 'string'),
    ).toBe(true);
    expect(
      events
        .filter(([, code]) => code === 'o')
        .map(([, , data]) => data)
        .join(''),
    ).toContain('owner-again-10');
  } finally {
    await second.close();
  }
});

test('an admin joins with control while the owner allows it, and types in her shell until she withdraws', async () => {
  const second = await launchBrowser();
  try {
    const bobPage = await second.newPage();
    await signIn(page, stack.sandbox.url, 'alice', 'Admin');
    await signIn(bobPage, stack.sandbox.url, 'bob', 'Admin');
    await page.goto(panelUrl('nester-terminal-panel', { harvester: stack.harvesterId, fontSize: 14 }));
    await waitConnected(page);
    await page.getByTestId('terminal-screen').click();
    await page.keyboard.type('echo owner-$((30+3))\n');
    await shows(page, 'owner-33');
    const { body: live } = await stack.api('GET', '/api/v1/sessions/live');
    const sessionId: string = live.sessions.find(
      (s: { user: string; state: string; kind: string }) =>
        s.user === 'alice' && s.state === 'live' && s.kind === 'terminal',
    ).id;

    // Until Alice unlocks her shell, the live list offers Bob only a view-only join.
    await bobPage.goto(`${stack.sandbox.url}a/nester-fleet-app/sessions`);
    const aliceRow = bobPage.locator(`[data-testid="live-session-row"][data-session="${sessionId}"]`);
    await aliceRow.getByRole('button', { name: 'Join (view-only)' }).waitFor();
    expect(await aliceRow.getByRole('button', { name: 'Join with control' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Let joiners type' }).click();
    await page.getByRole('button', { name: 'Stop joiners typing' }).waitFor();

    // The list offers control once it sees her lock open; Bob joins with it and may type.
    await aliceRow.getByRole('button', { name: 'Join with control' }).click();
    const view = bobPage.getByTestId('join-view');
    await view.waitFor();
    expect(await view.getAttribute('data-control')).toBe('true');
    await waitConnected(bobPage);
    await shows(bobPage, 'owner-33');
    const mode = bobPage.getByTestId('join-mode');
    await bobPage.locator('[data-testid="join-mode"][data-typing="on"]').waitFor();
    expect(await mode.textContent()).toContain('typing enabled');

    // What he types runs in her shell: she sees its output, and so does he.
    await bobPage.getByTestId('terminal-screen').click();
    await bobPage.keyboard.type('echo bob-typed-$((6*7))\n');
    await shows(page, 'bob-typed-42');
    await shows(bobPage, 'bob-typed-42');
    const joiner = page.locator('[data-testid="presence-joiner"][data-user="bob"]');
    await joiner.waitFor();
    expect(await joiner.textContent()).toBe('bob (watching, may type)');
    await browser.screenshot(page, 'terminal-controlled');
    await second.screenshot(bobPage, 'terminal-joined-with-control');

    // Alice locks her shell again: Bob's view says typing is off, and his typing reaches nothing.
    await page.getByRole('button', { name: 'Stop joiners typing' }).click();
    await page.getByRole('button', { name: 'Let joiners type' }).waitFor();
    await bobPage.locator('[data-testid="join-mode"][data-typing="off"]').waitFor();
    expect(await mode.textContent()).toContain('typing off');
    await bobPage.getByTestId('terminal-screen').click();
    await bobPage.keyboard.type('echo bob-late-$((7*7))\n');
    await page.getByTestId('terminal-screen').click();
    await page.keyboard.type('echo owner-after-$((8*8))\n');
    await shows(page, 'owner-after-64');
    await shows(bobPage, 'owner-after-64');
    expect(await terminalText(page)).not.toContain('bob-late');
    // And the list stops offering control.
    await eventually(
      async () =>
        (await aliceRow.getByRole('button', { name: 'Join with control' }).count()) === 0 ? true : undefined,
      'the live list to stop offering control',
    );

    await bobPage.getByRole('button', { name: 'Leave session' }).click();
    await joiner.waitFor({ state: 'detached' });
    await page.keyboard.type('exit\n');
    await page.getByText('Disconnected: Shell exited').waitFor();
  } finally {
    await second.close();
  }
});
