/** @jest-environment node */
import { eventually } from '@nester/testing/services';
import { Page } from 'playwright-core';

import { TestBrowser, launchBrowser, signIn, waitConnected } from '../support/browser';
import { RELEASE_VERSION, Stack, startStack } from '../support/stack';

// Issue 6's proof, end to end: PostgreSQL, the nester binary, an enrolled harvester agent with
// Xvfb + x11vnc, the built plugins in the sandbox, Chromium. The tests run in order: the last
// one revokes the harvester.

jest.setTimeout(60_000);

let stack: Stack;
let browser: TestBrowser;
let page: Page;

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

async function as(role: 'Viewer' | 'Editor' | 'Admin') {
  await signIn(page, stack.sandbox.url, role.toLowerCase(), role);
}

/** Distinct colours on noVNC's canvas. */
async function canvasColours(): Promise<string[]> {
  return page.evaluate(() => {
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

async function pointer(): Promise<{ x: number; y: number }> {
  const out = await stack.desktop!.x('xdotool', ['getmouselocation']);
  const match = /x:(\d+) y:(\d+)/.exec(out)!;
  return { x: Number(match[1]), y: Number(match[2]) };
}

async function terminalText(): Promise<string> {
  return page.evaluate(
    () => (document.querySelector('[data-testid="terminal-screen"] .xterm-rows') as HTMLElement)?.innerText ?? '',
  );
}

test('the Fleet page lists the local harvester as online', async () => {
  await as('Viewer');
  await page.goto(`${stack.sandbox.url}a/nester-fleet-app/fleet`);
  const row = page.locator(`[data-testid="harvester-row"][data-harvester="${stack.harvesterId}"]`);
  await row.waitFor();
  expect(await row.getByTestId('status-badge').getAttribute('data-status')).toBe('online');
  expect(await row.textContent()).toContain(stack.hostname);
  // nester serves a newer release than this agent: the row says so.
  await row.getByTestId('agent-outdated').waitFor();
  expect(await row.getByTestId('agent-outdated').textContent()).toContain(`${RELEASE_VERSION} available`);
  await browser.screenshot(page, 'fleet');

  await row.getByRole('link', { name: stack.hostname }).click();
  await page.getByTestId('harvester-facts').waitFor();
  expect(await page.getByTestId('harvester-facts').textContent()).toContain(stack.harvesterId);
  await browser.screenshot(page, 'harvester');
});

test('the desktop panel shows the Xvfb display, and mouse input reaches the X server', async () => {
  await as('Editor');
  await stack.desktop!.x('xsetroot', ['-solid', '#ff8000']);
  await page.goto(
    panelUrl(
      'nester-remotedesktop-panel',
      { harvester: '$host', scaling: 'fit' },
      `&var-host=${stack.harvesterId}&width=900&height=620`,
    ),
  );
  await waitConnected(page);
  await eventually(
    async () => ((await canvasColours()).includes('255,128,0') ? true : undefined),
    'the orange desktop on the canvas',
  );
  await stack.desktop!.x('xsetroot', ['-solid', '#2040c0']);
  await eventually(
    async () => ((await canvasColours()).includes('32,64,192') ? true : undefined),
    'the blue desktop on the canvas',
  );
  await browser.screenshot(page, 'remote-desktop-panel');

  await stack.desktop!.x('xdotool', ['mousemove', '3', '4']);
  const box = (await page.locator('[data-testid="remote-desktop-screen"] canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.5);
  await page.mouse.move(box.x + box.width * 0.75 + 2, box.y + box.height * 0.5 + 2);
  const moved = await eventually(async () => {
    const at = await pointer();
    return at.x > 200 && at.y > 80 ? at : undefined;
  }, 'the X pointer to follow the mouse');
  expect(moved.x).toBeGreaterThan(220);
  expect(moved.x).toBeLessThan(260);
  expect(moved.y).toBeGreaterThan(90);
  expect(moved.y).toBeLessThan(115);
});

test('the desktop panel shows its connecting steps in order, then a running session timer and the latency', async () => {
  await as('Editor');
  // Every step the status overlay shows, recorded in the page as the DOM changes (they pass quickly).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { connectSteps: string[] }).connectSteps = seen;
    new MutationObserver(() => {
      const step = document.querySelector('[data-testid="session-state"]')?.getAttribute('data-step');
      if (step && seen.at(-1) !== step) {
        seen.push(step);
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-step'] });
  });
  await page.goto(panelUrl('nester-remotedesktop-panel', { harvester: stack.harvesterId }, '&width=900&height=620'));
  // The timer shows once connected (waitConnected would also pass before the panel rendered).
  await page.getByTestId('session-timer').waitFor({ timeout: 30_000 });
  expect(await page.evaluate(() => (window as unknown as { connectSteps: string[] }).connectSteps)).toEqual([
    'harvester',
    'ticket',
    'socket',
    'vnc',
  ]);

  const seconds = async () => {
    const [minutes, secs] = (await page.getByTestId('session-timer').innerText()).split(':').map(Number);
    return minutes * 60 + secs;
  };
  const first = await seconds();
  await eventually(async () => ((await seconds()) >= first + 2 ? true : undefined), 'the session timer to advance');
  await eventually(
    async () => /^\d+ ms$/.test(await page.getByTestId('session-latency').innerText()),
    'the latency in ms in the toolbar',
  );
  await browser.screenshot(page, 'remote-desktop-vitals');
});

test("the harvester page's desktop tab shows the same display", async () => {
  await page.goto(`${stack.sandbox.url}a/nester-fleet-app/harvesters/${stack.harvesterId}?tab=desktop`);
  await waitConnected(page);
  await eventually(
    async () => ((await canvasColours()).includes('32,64,192') ? true : undefined),
    'the desktop in the tab',
  );
  await browser.screenshot(page, 'harvester-desktop-tab');
});

test('a view-only desktop panel shows the screen but its input does not reach X', async () => {
  await page.goto(
    panelUrl('nester-remotedesktop-panel', { harvester: stack.harvesterId, viewOnly: true }, '&width=900&height=620'),
  );
  await waitConnected(page);
  await eventually(
    async () => ((await canvasColours()).includes('32,64,192') ? true : undefined),
    'the desktop on the canvas',
  );
  await stack.desktop!.x('xdotool', ['mousemove', '3', '4']);
  const box = (await page.locator('[data-testid="remote-desktop-screen"] canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
  await page.mouse.up();
  await new Promise((resolve) => setTimeout(resolve, 700));
  expect(await pointer()).toEqual({ x: 3, y: 4 });
  expect(await page.getByRole('button', { name: /Ctrl\+Alt\+Del/ }).isDisabled()).toBe(true);
  await browser.screenshot(page, 'remote-desktop-view-only');
});

test('the terminal panel runs echo, and resizing the panel resizes the pty', async () => {
  await as('Admin');
  await page.goto(
    panelUrl('nester-terminal-panel', { harvester: stack.harvesterId, fontSize: 14 }, '&width=900&height=500'),
  );
  await waitConnected(page);
  await page.getByTestId('terminal-screen').click();
  await page.keyboard.type('echo nester-$((6*7))\n');
  await eventually(async () => ((await terminalText()).includes('nester-42') ? true : undefined), 'echo output');

  const sizeNow = async () => {
    await page.keyboard.type('clear; stty size\n');
    const out = await eventually(async () => /^(\d+) (\d+)$/m.exec(await terminalText()) ?? undefined, 'stty size');
    return { rows: Number(out[1]), cols: Number(out[2]) };
  };
  const before = await sizeNow();
  await page.getByTestId('panel-box').evaluate((box: HTMLElement) => {
    box.style.width = '600px';
    box.style.height = '320px';
  });
  const after = await eventually(async () => {
    const size = await sizeNow();
    return size.cols < before.cols && size.rows < before.rows ? size : undefined;
  }, 'the pty to take the smaller size');
  const rowsShown = await page.locator('[data-testid="terminal-screen"] .xterm-rows > div').count();
  expect(after.rows).toBe(rowsShown);
  await page.keyboard.type('echo still-here\n');
  await eventually(
    async () => ((await terminalText()).includes('still-here') ? true : undefined),
    'output after resize',
  );
  await browser.screenshot(page, 'terminal-panel');
  // End the shell so the recording is complete.
  await page.keyboard.type('exit\n');
  await page.getByText('Disconnected: Shell exited').waitFor();
});

test('a Viewer opening a terminal gets a clear permission-denied state', async () => {
  await as('Viewer');
  await page.goto(panelUrl('nester-terminal-panel', { harvester: stack.harvesterId }));
  const state = page.getByTestId('session-state');
  await eventually(
    async () => ((await state.getAttribute('data-state')) === 'forbidden' ? true : undefined),
    'forbidden',
  );
  expect(await state.textContent()).toContain('Permission denied');
  expect(await state.textContent()).toContain('it needs the Admin role');
  await browser.screenshot(page, 'terminal-permission-denied');
});

test('the Sessions page lists both sessions with their users, and the terminal recording replays', async () => {
  await as('Admin');
  await page.goto(`${stack.sandbox.url}a/nester-fleet-app/sessions`);
  await page.getByTestId('sessions-table').waitFor();
  const rows = (kind: string) => page.locator(`[data-testid="session-row"][data-kind="${kind}"]`);
  await eventually(async () => ((await rows('terminal').count()) > 0 ? true : undefined), 'the terminal session');
  const users = await page.getByTestId('session-user').allTextContents();
  expect(users).toEqual(expect.arrayContaining(['editor', 'admin']));
  expect(await rows('vnc').count()).toBeGreaterThanOrEqual(2);
  await browser.screenshot(page, 'sessions');

  const terminalRow = rows('terminal').first();
  expect(await terminalRow.getByTestId('session-user').textContent()).toBe('admin');
  await terminalRow.getByRole('button', { name: 'Replay' }).click();
  const player = page.getByTestId('recording-player');
  await player.waitFor();
  const seek = page.getByLabel('Seek');
  const screenText = () => page.getByTestId('recording-screen').innerText();
  // The end of the recording: the last command's output.
  await seek.fill((await seek.getAttribute('max')) ?? '0');
  await eventually(
    async () => ((await screenText()).includes('still-here') ? true : undefined),
    'the end of the recording',
  );
  // Back to the moment the echo printed (before the shell cleared the screen).
  const sessionId = await terminalRow.getAttribute('data-session');
  const cast = String((await stack.api('GET', `/api/v1/recordings/${sessionId}`)).body);
  const echoed = cast
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => JSON.parse(line) as [number, string, string])
    .find(([, code, data]) => code === 'o' && data.includes('nester-42'))!;
  await seek.fill(String(echoed[0] + 0.001));
  await eventually(async () => {
    const text = await screenText();
    return text.includes('nester-42') && !text.includes('still-here') ? true : undefined;
  }, 'the screen as it was when echo printed');
  await browser.screenshot(page, 'recording-replay');

  // A Viewer cannot walk from its harvesters route to the Admin-only recordings: the proxy
  // forwards the decoded `..` (as Grafana's does) and nester refuses it.
  const viewer = await fetch(`${stack.sandbox.url}sandbox/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'viewer', role: 'Viewer' }),
  });
  const walked = await fetch(
    `${stack.sandbox.url}api/plugin-proxy/nester-fleet-app/api/v1/harvesters/..%2Frecordings%2F${sessionId}`,
    { headers: { cookie: viewer.headers.get('set-cookie')!.split(';')[0] } },
  );
  expect(walked.status).toBe(400);
  expect(await walked.text()).not.toContain('nester-42');
});

test('the Enrolment page creates a token and shows the one-line install command', async () => {
  await page.goto(`${stack.sandbox.url}a/nester-fleet-app/enrolment`);
  await page.getByPlaceholder('e.g. Paris office laptops').fill('e2e laptops');
  await page.getByRole('button', { name: 'Create token' }).click();
  const command = page.getByTestId('install-command');
  await command.waitFor();
  // nester serves releases: the line installs from it (its --public-url), enrols and starts the agent.
  expect(await command.textContent()).toMatch(
    new RegExp(`^curl -fsSL ${stack.nesterUrl}/install\\.sh \\| sudo sh -s -- --token \\S+$`),
  );
  const script = await fetch(`${stack.nesterUrl}/install.sh`);
  expect(await script.text()).toContain(`HARVESTER_VERSION='${RELEASE_VERSION}'`);
  await page.getByTestId('tokens-table').getByText('e2e laptops').waitFor();
  await browser.screenshot(page, 'enrolment');
});

test('revoking the harvester from the Fleet page shows it no longer online', async () => {
  await page.goto(`${stack.sandbox.url}a/nester-fleet-app/fleet`);
  const row = page.locator(`[data-testid="harvester-row"][data-harvester="${stack.harvesterId}"]`);
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await eventually(
    async () => ((await row.getByTestId('status-badge').getAttribute('data-status')) === 'revoked' ? true : undefined),
    'the revoked badge',
  );
  const { body } = await stack.api('GET', `/api/v1/harvesters/${stack.harvesterId}`);
  expect(body.status).toBe('revoked');
  await browser.screenshot(page, 'fleet-revoked');
});

test('no page threw an uncaught error', () => {
  expect(browser.pageErrors).toEqual([]);
});
