/** @jest-environment node */
import { eventually } from '@nester/testing/services';
import { Page } from 'playwright-core';

import { TestBrowser, launchBrowser, signIn, waitConnected } from '../support/browser';
import { Stack, startStack } from '../support/stack';

// Watching someone's desktop (issue #17), end to end: the nester binary, a real agent, Xvfb +
// x11vnc, the built plugins in the sandbox, two Chromium users. Bob joins Alice's live desktop
// from the Sessions page: he sees her display, his clicks never reach it, she sees him watching.

jest.setTimeout(90_000);

let stack: Stack;
let browser: TestBrowser;
let page: Page;
/** Alice's desktop session of the first test, replayed in the last. */
let watchedSessionId: string | undefined;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  page = await browser.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const panelUrl = (type: string, options: object, extra = '') =>
  `${stack.sandbox.url}sandbox/panel?type=${type}&options=${encodeURIComponent(JSON.stringify(options))}${extra}`;

/** Distinct colours on noVNC's canvas. */
function canvasColours(on: Page): Promise<string[]> {
  return on.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="remote-desktop-screen"] canvas');
    if (!canvas || canvas.width === 0) {
      return [];
    }
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set<string>();
    for (let i = 0; i < pixels.length; i += 4 * 97) {
      seen.add(`${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`);
    }
    return [...seen];
  });
}

const shows = (on: Page, colour: string, what: string) =>
  eventually(async () => ((await canvasColours(on)).includes(colour) ? true : undefined), what);

async function pointer(): Promise<string> {
  return (await stack.desktop!.x('xdotool', ['getmouselocation'])).trim();
}

test('an editor joins a desktop view-only from the Sessions page; the owner sees who watches', async () => {
  const second = await launchBrowser();
  try {
    const bobPage = await second.newPage();
    await signIn(page, stack.sandbox.url, 'alice', 'Editor');
    await signIn(bobPage, stack.sandbox.url, 'bob', 'Editor');
    await stack.desktop!.x('xsetroot', ['-solid', '#ff8000']);
    await page.goto(panelUrl('nester-remotedesktop-panel', { harvester: stack.harvesterId }, '&width=900&height=620'));
    await waitConnected(page);
    await shows(page, '255,128,0', "the desktop on alice's canvas");
    const { body: live } = await stack.api('GET', '/api/v1/sessions/live');
    const sessionId: string = live.sessions.find(
      (s: { user: string; state: string; kind: string }) =>
        s.user === 'alice' && s.state === 'live' && s.kind === 'vnc',
    ).id;
    watchedSessionId = sessionId;

    // Bob joins from the live list and sees the display, then what changes on it.
    await bobPage.goto(`${stack.sandbox.url}a/nester-fleet-app/sessions`);
    const aliceRow = bobPage.locator(`[data-testid="live-session-row"][data-session="${sessionId}"]`);
    // A desktop offers no control join (nester refuses one).
    await aliceRow.getByRole('button', { name: 'Join (view-only)' }).waitFor();
    expect(await aliceRow.getByRole('button', { name: 'Join with control' }).count()).toBe(0);
    await aliceRow.getByRole('button', { name: 'Join (view-only)' }).click();
    await bobPage.getByTestId('join-view').waitFor();
    await waitConnected(bobPage);
    await shows(bobPage, '255,128,0', "the desktop on bob's canvas");
    await stack.desktop!.x('xsetroot', ['-solid', '#2040c0']);
    await shows(bobPage, '32,64,192', "the new colour on bob's canvas");

    // His clicks do nothing to her desktop.
    await stack.desktop!.x('xdotool', ['mousemove', '3', '4']);
    const box = (await bobPage.locator('[data-testid="remote-desktop-screen"] canvas').boundingBox())!;
    await bobPage.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await bobPage.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
    await stack.desktop!.x('xsetroot', ['-solid', '#10a040']);
    // Once bob sees this later change, his earlier input had its chance to arrive.
    await shows(bobPage, '16,160,64', "the last colour on bob's canvas");
    expect(await pointer()).toMatch(/^x:3 y:4 /);

    // Alice sees who watches; the live list says it too.
    const joiner = page.locator('[data-testid="presence-joiner"][data-user="bob"]');
    await joiner.waitFor();
    expect(await joiner.textContent()).toBe('bob (watching, view only)');
    await eventually(
      async () =>
        (await aliceRow.getByTestId('live-session-joiners').textContent())?.includes('bob') ? true : undefined,
      'the live list to name bob',
    );
    // Bob's bar names Alice, whose desktop he watches.
    await bobPage.locator('[data-testid="presence-user"][data-user="alice"]').waitFor();
    await browser.screenshot(page, 'desktop-watched');
    await second.screenshot(bobPage, 'desktop-joined');

    // Alice's session ends: Bob's view ends with it, saying so.
    await page.goto('about:blank');
    const bobState = bobPage.getByTestId('session-state');
    await bobState.waitFor();
    await eventually(
      async () => ((await bobState.getAttribute('data-state')) !== 'connected' ? true : undefined),
      "bob's view to end",
    );
    const { body: after } = await stack.api('GET', '/api/v1/sessions/live');
    expect(after.sessions.filter((s: { kind: string }) => s.kind === 'vnc')).toEqual([]);
  } finally {
    await second.close();
  }
});

test("an admin replays the watched desktop's recording: the display as its owner saw it", async () => {
  await signIn(page, stack.sandbox.url, 'root', 'Admin');
  await page.goto(`${stack.sandbox.url}a/nester-fleet-app/sessions`);
  const row = page.locator(`[data-testid="session-row"][data-session="${watchedSessionId}"]`);
  await row.getByRole('button', { name: 'Replay' }).click();
  await page.getByTestId('desktop-replay-screen').waitFor();
  // Sample the replay's canvas every few milliseconds from the start of a replay, in the page:
  // at 1× alice's colours follow each other as fast as they did in her session.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { replaySeen: string[] }).replaySeen = seen;
    setInterval(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="desktop-replay-screen"] canvas');
      if (!canvas || canvas.width === 0) {
        return;
      }
      const [r, g, b] = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(1, 1, 1, 1).data;
      const colour = `${r},${g},${b}`;
      if (seen[seen.length - 1] !== colour) {
        seen.push(colour);
      }
    }, 10);
  });
  await page.getByRole('button', { name: 'Restart' }).click();
  const seen = () => page.evaluate(() => (window as unknown as { replaySeen: string[] }).replaySeen);
  await eventually(
    async () => ((await seen()).includes('16,160,64') ? true : undefined),
    'the replay to reach its end',
  );
  // Each colour alice's desktop had, in the order she saw them. Sampling began before Restart, so
  // the first replay's screens may come first (and a restart repaints the same colour again).
  const alices = ['255,128,0', '32,64,192', '16,160,64'];
  const hers = (await seen()).filter((colour) => alices.includes(colour));
  expect(hers.filter((colour, i) => colour !== hers[i - 1]).slice(-3)).toEqual(alices);
  await eventually(
    async () =>
      (await page.getByTestId('desktop-replay-clock').textContent())?.match(/^(\S+) \/ \1$/) ? true : undefined,
    'the clock to reach the end',
  );
  await browser.screenshot(page, 'desktop-replay');
  const download = page.getByTestId('download-rfbrec');
  expect(await download.getAttribute('download')).toMatch(new RegExp(`${watchedSessionId}\\.rfbrec$`));
});
