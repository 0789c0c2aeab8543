import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '@nester/testing/services';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';

export const SCREENSHOTS = path.resolve(__dirname, '..', '..', '..', 'artifacts', 'screenshots');

export interface TestBrowser {
  browser: Browser;
  context: BrowserContext;
  /** Uncaught page errors so far; a test that expects none checks it is empty. */
  pageErrors: string[];
  newPage(): Promise<Page>;
  screenshot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/** Debian's Chromium (never a downloaded one), headless, with a profile of its own. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const pageErrors: string[] = [];
  context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(error.message)));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    browser: context.browser()!,
    context,
    pageErrors,
    newPage: () => context.newPage(),
    async screenshot(page, name, options = {}) {
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: options.fullPage });
      return file;
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs the sandbox's browser session in as a user with an org role. */
export async function signIn(page: Page, baseUrl: string, login: string, role: 'Viewer' | 'Editor' | 'Admin') {
  const response = await page.request.post(`${baseUrl}sandbox/api/login`, { data: { login, role } });
  if (!response.ok()) {
    throw new Error(`sign-in as ${login} failed: ${response.status()}`);
  }
}

/** A session view's state line (`data-state`); a view that shows none is connected. */
export async function sessionState(page: Page): Promise<string | null> {
  const state = page.getByTestId('session-state');
  // The line may go between the count and the read (the view re-renders): read briefly, callers retry.
  return (await state.count()) ? state.getAttribute('data-state', { timeout: 1_000 }).catch(() => null) : 'connected';
}

export async function waitConnected(page: Page): Promise<void> {
  await eventually(
    async () => ((await sessionState(page)) === 'connected' ? true : undefined),
    'the session to connect',
  );
}
