// End-to-end check of the web console in headless Chromium against the real app (seeded database, web/dist).
// Needs /usr/bin/chromium (`apt-get install -y chromium`); without it the suite fails rather than skips.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOT = path.join(ROOT, 'docs/screenshot.png');

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

let server: TestServer | undefined;
let browser: Browser | undefined;

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  if (!browser || !server) throw new Error('suite setup did not finish');
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 1200 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  uncaught.set(page, errors);
  return { context, page };
}

/** Uncaught exceptions thrown in the page (there should be none). */
const uncaught = new WeakMap<Page, string[]>();

function pageErrors(page: Page): string[] {
  return uncaught.get(page) ?? [];
}

async function fillLogin(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.locator('button[type=submit]').click();
}

describe('web console (Chromium)', () => {
  beforeAll(async () => {
    expect(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`).toBe(true);
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in and renders the dashboard with the 哈密 map and the region tree', async () => {
    const { context, page } = await newPage();
    try {
      await fillLogin(page, server!.username, server!.password);
      await page.waitForSelector('[data-testid=dashboard]');
      expect(new URL(page.url()).pathname).toBe('/');

      // The county map: an ECharts canvas with a real size that has actually painted something.
      const canvas = page.locator('#hami-map canvas').first();
      await canvas.waitFor({ state: 'attached' });
      const box = await canvas.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.width).toBeGreaterThan(0);
      expect(box!.height).toBeGreaterThan(0);
      await page.waitForFunction(
        `(() => {
          const c = document.querySelector('#hami-map canvas');
          if (!c || !c.width || !c.height) return false;
          const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let painted = 0;
          for (let i = 3; i < data.length; i += 16) if (data[i] !== 0) painted++;
          return painted > 1000;
        })()`,
      );

      // The jurisdiction tree lists the counties.
      await expect.poll(() => page.getByTestId('region-tree').getByText('伊州区', { exact: true }).count()).toBeGreaterThan(0);
      await expect.poll(async () => (await page.textContent('body')) ?? '').toContain('伊州区');

      // The header shows who is signed in.
      const who = (await page.getByTestId('current-user').textContent()) ?? '';
      expect(who.trim().length).toBeGreaterThan(0);

      if (process.env.SAVE_SCREENSHOT === '1') {
        await page.waitForTimeout(800); // let the map's entry animation finish
        fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
      }
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows an error message for a wrong password', async () => {
    const { context, page } = await newPage();
    try {
      await fillLogin(page, server!.username, `${server!.password}-wrong`);
      const alert = page.getByTestId('login-error');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('用户名或密码错误');
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
