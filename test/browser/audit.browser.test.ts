// The audit page in headless Chromium at phone width (390 px): search in Chinese, names, readable detail, alerts, the access log, export.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';

const CHROMIUM = '/usr/bin/chromium';
let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
let browser: Browser | undefined;

describe('audit page (Chromium, 390 px)', () => {
  beforeAll(async () => {
    expect(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing`).toBe(true);
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('finds sign-ins by typing 登录, shows names and a field list, has an alerts tab and exports XLSX', async () => {
    const context = await browser!.newContext({ baseURL: server!.url, viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    try {
      await page.goto('/login');
      await page.getByLabel('用户名', { exact: true }).fill(server!.username);
      await page.getByLabel('密码', { exact: true }).fill(server!.password);
      await page.locator('button[type=submit]').click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      await page.goto('/audit');
      await page.getByTestId('audit-filter-action').fill('登录');
      await page.getByTestId('audit-search').click();
      const firstRow = page.locator('[data-testid=audit-table] tbody tr.ant-table-row').first();
      await expect.poll(() => firstRow.innerText()).toContain('登录');
      expect(await firstRow.innerText()).not.toContain('auth.login');
      // the page itself does not scroll sideways; the table scrolls inside its own box
      // nothing on the page sticks out sideways; the table scrolls inside its own box (the app header is the layout's)
      const wide = await page.evaluate(
        `[...document.querySelectorAll('.page *')].filter((e) => !e.closest('.ant-table-content, .ant-table-body') && e.getBoundingClientRect().right > 391).map((e) => e.tagName + '.' + e.className)`,
      );
      expect(wide).toEqual([]);
      await firstRow.locator('.ant-table-row-expand-icon').click();
      const detail = page.getByTestId('audit-detail').first();
      await expect.poll(() => detail.innerText()).toContain('操作');
      expect(await detail.innerText()).not.toContain('{');
      await expect.poll(() => page.getByTestId('audit-alerts-tab').isVisible()).toBe(true);
      // the access log tab: reading the audit trail above was itself a personal-data read, so it is listed in words
      await page.getByTestId('audit-access-tab').click();
      await page.getByTestId('access-filter-resource').fill('audit_log');
      await page.getByTestId('access-search').click();
      // other tests' reads share the log (some stamped by a test clock in the future): find ours by its words
      const accessRow = page.locator('[data-testid=audit-access-table] tbody tr.ant-table-row', { hasText: '审计记录' }).first();
      await expect.poll(() => accessRow.innerText()).toContain('审计记录');
      expect(await accessRow.innerText()).toContain('audit.read');
      const download = page.waitForEvent('download');
      await page.getByTestId('audit-export').click();
      expect((await download).suggestedFilename()).toMatch(/^audit-.*\.xlsx$/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
