// The sign-in page under repeated failures, in headless Chromium against the real app: generic messages, captcha.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { uniq } from '../support/factories.ts';

let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
let browser: Browser | undefined;

describe('sign-in page (Chromium)', () => {
  beforeAll(async () => {
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the same message for an unknown name, then a captcha image with a refresh, and refuses a wrong answer', async () => {
    const context = await browser!.newContext({ baseURL: server!.url, locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    try {
      const username = uniq('ghost');
      await page.goto('/login');
      const alert = page.getByTestId('login-error');
      const submit = async (password: string) => {
        await page.getByLabel('密码', { exact: true }).fill(password);
        await page.locator('button[type=submit]').click();
      };
      await page.getByLabel('用户名', { exact: true }).fill(username);
      for (let i = 0; i < 3; i++) {
        await submit(`Wrong-pass${i}`);
        await expect.poll(async () => alert.textContent()).toContain('用户名或密码错误');
        expect(await alert.textContent()).not.toMatch(/次/); // no attempts left are shown
        await page.getByLabel('密码', { exact: true }).fill('');
      }
      await submit('Wrong-pass3');
      await expect.poll(async () => alert.textContent()).toContain('请输入图中的验证码');
      const image = page.getByTestId('login-captcha');
      await image.waitFor();
      await expect.poll(async () => image.evaluate((img) => {
        const loaded = img as unknown as { complete: boolean; naturalWidth: number };
        return loaded.complete && loaded.naturalWidth > 0;
      })).toBe(true);
      const first = await image.getAttribute('src');
      expect(first).toMatch(/^data:image\/svg\+xml/);
      await page.getByRole('button', { name: '换一张' }).click();
      await expect.poll(async () => image.getAttribute('src')).not.toBe(first);

      await page.getByLabel('验证码', { exact: true }).fill('zzzz');
      await submit('Wrong-pass4');
      await expect.poll(async () => alert.textContent()).toContain('验证码错误');
      expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
