// The administrator's SMS code step in headless Chromium: real server, real SMPP server on loopback, phone-sized screen.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import type { App } from '../../src/http/types.ts';
import { LocalSmsc, SmppSender } from '../../src/modules/sms/index.ts';
import { testConfig } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newUser } from '../support/factories.ts';

const CHROMIUM = '/usr/bin/chromium';

let browser: Browser | undefined;
let app: App | undefined;
let smsc: LocalSmsc;
let sender: SmppSender;
let url: string;

describe('sign-in with an SMS code (Chromium)', () => {
  beforeAll(async () => {
    expect(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`).toBe(true);
    const { db } = await testDb();
    smsc = await LocalSmsc.start();
    sender = new SmppSender({ host: '127.0.0.1', port: smsc.port, systemId: 'govcloud', password: 'x', sourceAddr: '10690000' });
    ({ app } = await buildApp({ db, config: testConfig(), serveWeb: true, sms: sender }));
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await sender.close();
    await smsc.close();
  });

  it('asks an administrator for the code, refuses a wrong one and signs in with the right one', async () => {
    const { db } = await testDb();
    const phone = `137${String(Date.now()).slice(-8)}`;
    const admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }], phone });
    const context = await browser!.newContext({ baseURL: url, viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    try {
      const arriving = smsc.next(phone);
      await page.goto('/login');
      await page.getByLabel('用户名', { exact: true }).fill(admin.username);
      await page.getByLabel('密码', { exact: true }).fill(admin.password);
      await page.locator('button[type=submit]').click();
      await page.getByTestId('second-factor').waitFor();
      expect(await page.getByTestId('second-factor-sent').textContent()).toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
      const code = /(\d{6})/.exec((await arriving).text)![1]!;

      await page.getByLabel('短信验证码').fill(code === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: '验 证' }).click();
      await expect.poll(async () => (await page.getByTestId('second-factor-error').textContent()) ?? '').toContain('还可尝试 4 次');

      await page.getByLabel('短信验证码').fill(code);
      await page.getByRole('button', { name: '验 证' }).click();
      await page.waitForSelector('[data-testid=dashboard]');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
