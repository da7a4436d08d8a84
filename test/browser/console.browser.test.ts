// End-to-end check of the web console in headless Chromium against the real app (seeded database, web/dist).
// Needs /usr/bin/chromium (`apt-get install -y chromium`); without it the suite fails rather than skips.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillLogin, newPage as openPage, pageErrors, startSuite, stopSuite, waitForPaintedCanvas, type BrowserSuite } from './browser.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOT = path.join(ROOT, 'docs/screenshot.png');

let suite: BrowserSuite | undefined;
let server: BrowserSuite['server'] | undefined;

function newPage() {
  if (!suite) throw new Error('suite setup did not finish');
  return openPage(suite);
}

const CREDIT_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A fresh, valid 统一社会信用代码 for region 650500 (GB 32100 check character), unlikely to collide with another. */
function randomCreditCode(): string {
  let body = '11650500';
  while (body.length < 17) body += CREDIT_CHARSET[Math.floor(Math.random() * CREDIT_CHARSET.length)];
  const sum = [...body].reduce((acc, c, i) => acc + CREDIT_CHARSET.indexOf(c) * CREDIT_WEIGHTS[i]!, 0);
  return body + CREDIT_CHARSET[(31 - (sum % 31)) % 31];
}

/** The same code with a wrong check character. */
function withWrongCheck(code: string): string {
  const check = code[17]!;
  return code.slice(0, 17) + (check === 'X' ? 'Y' : 'X');
}

describe('web console (Chromium)', () => {
  beforeAll(async () => {
    suite = await startSuite();
    server = suite.server;
  }, 180_000);

  afterAll(async () => {
    await stopSuite(suite);
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
      await waitForPaintedCanvas(page, '#hami-map');

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

  it('creates a department through the form, with client- and server-side field errors', async () => {
    const { context, page } = await newPage();
    try {
      const posts: number[] = [];
      page.on('response', (res) => {
        if (res.request().method() === 'POST' && new URL(res.url()).pathname === '/api/departments') posts.push(res.status());
      });
      await fillLogin(page, server!.username, server!.password);
      await page.waitForSelector('[data-testid=current-user]');
      await page.goto('/departments');
      const suffix = Math.random().toString(36).slice(2, 8).toUpperCase();
      const code = `E2E-${suffix}`;
      const name = `端到端测试局${suffix}`;
      const creditCode = randomCreditCode();

      const openForm = async () => {
        await page.getByTestId('department-create').click();
        const form = page.getByTestId('department-form');
        await form.waitFor();
        await form.getByLabel('部门代码').fill(code);
        await form.getByLabel('部门名称').fill(name);
        await form.getByLabel('所属区划').click();
        await page.locator('.ant-select-tree-title').getByText('哈密市', { exact: true }).click();
        return form;
      };
      const fieldError = (form: ReturnType<Page['getByTestId']>, label: string) =>
        form.locator('.ant-form-item').filter({ has: page.getByLabel(label, { exact: true }) }).locator('.ant-form-item-explain-error');

      // A wrong check character is caught on the field before anything is sent (lower case is upper-cased as typed).
      let form = await openForm();
      await form.getByLabel('统一社会信用代码').fill(withWrongCheck(creditCode).toLowerCase());
      expect(await form.getByLabel('统一社会信用代码').inputValue()).toBe(withWrongCheck(creditCode));
      await page.locator('#department-form-ok').click();
      await expect.poll(() => fieldError(form, '统一社会信用代码').textContent()).toContain(`校验位错误：应为 ${creditCode[17]}`);
      expect(posts).toEqual([]);

      // Fixed, it is created and shown in the list.
      await form.getByLabel('统一社会信用代码').fill(creditCode);
      await page.locator('#department-form-ok').click();
      await page.locator('.ant-message').getByText(`部门已创建：${name}`).waitFor();
      await form.waitFor({ state: 'detached' });
      expect(posts).toEqual([201]);
      const row = page.getByTestId('department-table').locator('tr.ant-table-row').filter({ hasText: code });
      await row.waitFor();
      const text = (await row.textContent()) ?? '';
      expect(text).toContain(name);
      expect(text).toContain(creditCode);
      expect(text).toContain('政府部门');

      // The same code again: the server's 409 problem lands on the code field.
      form = await openForm();
      await page.locator('#department-form-ok').click();
      await expect.poll(() => fieldError(form, '部门代码').textContent()).toContain('该部门代码已被使用');
      expect(posts).toEqual([201, 409]);
      await page.locator('#department-form-cancel').click();
      await form.waitFor({ state: 'detached' });

      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
