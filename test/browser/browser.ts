// Shared set-up of the browser tests: one Chromium and one test server per file, pages that record uncaught errors.
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startTestServer } from '../support/server.ts';

export const CHROMIUM = '/usr/bin/chromium';

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

export interface BrowserSuite {
  server: TestServer;
  browser: Browser;
}

export async function startSuite(): Promise<BrowserSuite> {
  expect(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`).toBe(true);
  const server = await startTestServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  return { server, browser };
}

export async function stopSuite(suite: BrowserSuite | undefined): Promise<void> {
  await suite?.browser.close();
  await suite?.server.close();
}

/** Uncaught exceptions thrown in the page (there should be none). */
const uncaught = new WeakMap<Page, string[]>();

export function pageErrors(page: Page): string[] {
  return uncaught.get(page) ?? [];
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** A phone: touch, mobile viewport meta honoured. */
  mobile?: boolean;
}

export async function newPage(suite: BrowserSuite, options: PageOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await suite.browser.newContext({
    baseURL: suite.server.url,
    viewport: options.viewport ?? { width: 1440, height: 1200 },
    ...(options.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  uncaught.set(page, errors);
  return { context, page };
}

export async function fillLogin(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.locator('button[type=submit]').click();
}

/**
 * Signs the page's context in with one request to the sign-in route (the context keeps the session cookie), for tests
 * whose subject is a page behind the sign-in, not the sign-in form: that saves loading the console twice per test.
 */
export async function signInByApi(page: Page, username: string, password: string): Promise<void> {
  const res = await page.request.post('/api/auth/login', { data: { username, password } });
  expect(res.status(), await res.text()).toBe(200);
}

/**
 * Waits until the ECharts canvas inside `selector` has painted a fair number of pixels. Polls with page.evaluate
 * (CDP evaluation), not waitForFunction, whose string predicate the console's CSP (no 'unsafe-eval') may refuse.
 */
export async function waitForPaintedCanvas(page: Page, selector: string): Promise<void> {
  const painted = `(() => {
    const c = document.querySelector(${JSON.stringify(`${selector} canvas`)});
    if (!c || !c.width || !c.height) return 0;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 16) if (data[i] !== 0) n++;
    return n;
  })()`;
  await expect.poll(() => page.evaluate(painted) as Promise<number>, { timeout: 20_000 }).toBeGreaterThan(1000);
}

/**
 * Picks `text` in a Select (`field`: its input or its root): opens it, types `search` (nothing when it is empty: a
 * Select without search), clicks the option naming `text`, and checks the Select's text now shows it (antd 6 renders
 * the chosen label as text; the search stays in the input's value). A remote search answers after a debounce and its
 * option list can be replaced under the click: a pick that did not take is tried again (three times at most).
 */
export async function pickOption(page: Page, field: Locator, text: string, search = text): Promise<void> {
  const root = field.locator(`xpath=ancestor-or-self::*[contains(concat(' ', normalize-space(@class), ' '), ' ant-select ')][1]`);
  for (let attempt = 1; ; attempt++) {
    await field.click();
    if (search !== '') await page.keyboard.type(search);
    // a click that lands elsewhere (the list still moving into place on a phone) closes the list: open it again
    const clicked = await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: text })
      .first()
      .click({ timeout: 8_000 })
      .then(() => true, (err: unknown) => (attempt === 3 ? Promise.reject(err) : false));
    if (!clicked) continue;
    const shown = await expect
      .poll(async () => (await root.textContent().catch(() => null)) ?? '', { timeout: 3_000 })
      .toContain(text)
      .then(() => true, () => false);
    if (shown) return;
    // (no Escape to close the list before trying again: inside a modal it closes the modal)
    if (attempt === 3) throw new Error(`the Select did not take ${text}`);
  }
}
