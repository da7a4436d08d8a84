// The console applies the server's password policy on the form: a guessable password is refused before it is sent.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';

const CHROMIUM = '/usr/bin/chromium';

let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
let browser: Browser | undefined;

describe('password policy in the console (Chromium)', () => {
  beforeAll(async () => {
    expect(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`).toBe(true);
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses Password1! as a new password on the form, and accepts a strong one', async () => {
    const context = await browser!.newContext({ baseURL: server!.url, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    try {
      await page.goto('/login');
      await page.getByLabel('用户名', { exact: true }).fill(server!.username);
      await page.getByLabel('密码', { exact: true }).fill(server!.password);
      await page.locator('button[type=submit]').click();
      await page.waitForSelector('[data-testid=dashboard]');
      // the account menu opens with an animation: retry until the dialog is there
      await expect
        .poll(async () => {
          if (!(await page.getByText('修改密码', { exact: true }).isVisible())) await page.getByTestId('current-user').click();
          else await page.getByText('修改密码', { exact: true }).click();
          return page.getByLabel('当前密码', { exact: true }).isVisible();
        }, { timeout: 30_000, interval: 300 })
        .toBe(true);
      await page.getByLabel('当前密码', { exact: true }).fill(server!.password);
      const newPassword = page.getByLabel('新密码', { exact: true });
      await newPassword.fill('Password1!');
      await newPassword.blur();
      await page.getByText('密码太容易被猜到', { exact: false }).waitFor();
      await newPassword.fill('Kumul-Melon-Harvest-26');
      await newPassword.blur();
      await expect.poll(() => page.getByText('密码太容易被猜到', { exact: false }).count()).toBe(0);
      expect(requests).not.toContain('POST /api/auth/password');
    } finally {
      await context.close();
    }
  }, 120_000);
});
