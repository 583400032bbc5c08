import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// As root, with no network: no sandbox, no GPU, nothing that phones home.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'nsatu-demo';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENSHOTS = path.join(WEB, 'test/screenshots');

/** Fails early, with the fix, when the app has not been built (the API serves web/dist). */
export function assertWebBuilt() {
  if (!existsSync(path.join(WEB, 'dist/index.html')))
    throw new Error('web/dist is missing: run `npm --prefix web run build` first');
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's Chromium with a fresh profile (--user-data-dir) that is removed afterwards. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nsatu-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    // Lets the tests inject axe-core; the app's own CSP allows no inline script.
    bypassCSP: true,
  });
  context.setDefaultTimeout(20_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A new tab logged in as `username` through the login form. Each tab has its own sessionStorage,
 * so each role keeps its own token while sharing the browser profile (and its IndexedDB keys).
 */
export async function loginAs(context: BrowserContext, baseUrl: string, username: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${username}] page error: ${err.message}`));
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('current-user').waitFor();
  return page;
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Reloads the page until `locator` shows (lists refresh on a timer; a reload is quicker). */
export async function reloadUntilVisible(page: Page, locator: Locator, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (
      await locator
        .first()
        .isVisible()
        .catch(() => false)
    )
      return;
    if (Date.now() > deadline) throw new Error(`not visible within ${timeoutMs} ms: ${String(locator)}`);
    await page.waitForTimeout(1_500);
    await page.reload();
    await page.waitForLoadState('networkidle').catch(() => undefined);
  }
}
