// The citizen portal in headless Chromium: registration on a phone-sized screen with the code from the in-process SMS
// centre (real SMPP), then sign-in by SMS code on a desktop screen.
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenApp, codeIn, newIdNumber, newPhone, type CitizenApp } from '../../src/modules/citizens/test-helpers.ts';
import { testDb } from '../support/db.ts';

const CHROMIUM = '/usr/bin/chromium';

let browser: Browser | undefined;
let suite: CitizenApp | undefined;
let url: string;

async function openPage(viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser!.newContext({ baseURL: url, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...(viewport.width < 500 ? { isMobile: true, hasTouch: true } : {}) });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { page, errors, close: () => context.close() };
}

/** No sideways scrolling: the page fits the screen's width. */
const fitsWidth = (page: Page) => page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;

describe('citizen portal (Chromium)', () => {
  beforeAll(async () => {
    expect(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`).toBe(true);
    suite = await citizenApp({ serveWeb: true });
    url = await suite.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await suite?.close();
  });

  it('registers on a 390 px screen with the SMS code, shows the masked record, and signs in again by code at 1440 px', async () => {
    const phone = newPhone();
    const idNumber = newIdNumber();
    const mobile = await openPage({ width: 390, height: 844 });
    try {
      const { page } = mobile;
      await page.goto('/citizen');
      await page.getByRole('tab', { name: '注册' }).click();
      const form = page.getByTestId('register-form');
      await form.getByLabel('姓名').fill('古丽米拉');
      // the console checks the ID number as the server does: a wrong check character is caught before sending
      const wrongCheck = idNumber.slice(0, 17) + (idNumber[17] === '1' ? '2' : '1');
      await form.getByLabel('身份证号').fill(wrongCheck);
      await form.getByLabel('手机号').click();
      await expect.poll(async () => (await form.textContent()) ?? '').toContain('校验位不正确');
      await form.getByLabel('身份证号').fill(idNumber);
      await form.getByLabel('手机号').fill(phone);
      const arriving = suite!.smsc.next(phone);
      await form.getByTestId('send-code').click();
      const code = codeIn((await arriving).text);
      await expect.poll(async () => (await form.getByTestId('code-sent').textContent()) ?? '').toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
      await form.getByLabel('短信验证码').fill(code);
      await form.getByLabel('密码').fill('Tian-Shan-Snow-42');
      expect(await fitsWidth(page)).toBe(true);
      await form.getByRole('button', { name: '注 册' }).click();
      await page.getByTestId('citizen-profile').waitFor();
      expect(await page.getByTestId('profile-name').textContent()).toBe('古丽米拉');
      expect(await page.getByTestId('profile-id').textContent()).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
      expect(await page.getByTestId('profile-phone').textContent()).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
      expect(await fitsWidth(page)).toBe(true);
      // the session survives a reload, and signing out ends it
      await page.reload();
      await page.getByTestId('citizen-profile').waitFor();
      await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByRole('tab', { name: '验证码登录' }).waitFor();
      expect(mobile.errors).toEqual([]);
    } finally {
      await mobile.close();
    }

    const desktop = await openPage({ width: 1440, height: 900 });
    try {
      const { page } = desktop;
      // the minute since the registration code passes
      const { db } = await testDb();
      await db.updateTable('citizen_send_counter').set({ window_start: new Date(Date.now() - 61_000) }).where('key', '=', `phone-minute:${phone}`).execute();
      await page.goto('/citizen');
      await page.getByRole('tab', { name: '验证码登录' }).click();
      await page.getByLabel('手机号').fill(phone);
      const arriving = suite!.smsc.next(phone);
      await page.getByTestId('send-code').click();
      const code = codeIn((await arriving).text);
      await page.getByLabel('短信验证码').fill(code === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: '登 录' }).click();
      await expect.poll(async () => (await page.locator('form').textContent()) ?? '').toContain('还可尝试 4 次');
      await page.getByLabel('短信验证码').fill(code);
      await page.getByRole('button', { name: '登 录' }).click();
      await page.getByTestId('citizen-profile').waitFor();
      expect(await page.getByTestId('profile-name').textContent()).toBe('古丽米拉');
      expect(desktop.errors).toEqual([]);
    } finally {
      await desktop.close();
    }
  }, 120_000);
});
