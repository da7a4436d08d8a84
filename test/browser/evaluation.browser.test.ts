// Evaluation in headless Chromium at 1440 px and 390 px: a citizen rates their concluded case badly and files a
// complaint in the portal; the department admin follows the bad rating up; a supervisor accepts the complaint,
// computes and publishes the month, and the ranking page lists it. No sideways scrolling, no page errors.
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caller, citizenApp, newIdNumber, registerCitizen, type CitizenApp } from '../../src/modules/citizens/test-helpers.ts';
import { newCase, newItem } from '../support/approval-factories.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { CHROMIUM, fillLogin } from './browser.ts';

let browser: Browser | undefined;
let suite: CitizenApp | undefined;
let url: string;

const VIEWPORTS = [
  { width: 1440, height: 1000 },
  { width: 390, height: 844 },
];

async function openPage(viewport: { width: number; height: number }, cookie?: string) {
  const context = await browser!.newContext({ baseURL: url, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...(viewport.width < 500 ? { isMobile: true, hasTouch: true } : {}) });
  if (cookie) {
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url }]);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { page, errors, close: () => context.close() };
}

const fitsWidth = (page: Page) => page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;

describe('evaluation (Chromium)', () => {
  beforeAll(async () => {
    expect(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing`).toBe(true);
    suite = await citizenApp({ serveWeb: true });
    url = await suite.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await suite?.close();
  });

  for (const viewport of VIEWPORTS) {
    it(`rates, complains, follows up and decides at ${viewport.width} px`, async () => {
      const { db } = await testDb();
      const dept = await newDepartment(db, { regionCode: '650502', name: `哈密市伊州区市场监督管理局${viewport.width}` });
      const item = await newItem(db, { departmentId: dept.id, name: '食品经营许可' });
      const citizen = new Caller(suite!.app);
      const { profile } = await registerCitizen(citizen, suite!.smsc, { idNumber: newIdNumber(), name: '阿依古丽' });
      const done = await newCase(db, item, { state: 'concluded', citizenId: profile.id, concludedOn: '2026-11-10' });

      // the citizen: a two-star rating with a tag and a comment, then a complaint
      let { page, errors, close } = await openPage(viewport, citizen.cookie);
      await page.goto(`/citizen/rate/${done.id}`);
      await page.getByTestId('citizen-rate').waitFor();
      await page.getByTestId('citizen-rate-stars').locator('li').nth(1).click();
      await page.getByText('等待时间长').click();
      await page.getByTestId('citizen-rate-comment').fill('窗口只开了一个，排队两个小时');
      await page.getByTestId('citizen-rate-submit').click();
      await page.getByText('您已评价，感谢您的反馈').waitFor();
      expect(await fitsWidth(page)).toBe(true);
      await page.goto('/citizen/complaints');
      await page.getByTestId('citizen-complaint-new').click();
      await page.getByTestId('citizen-complaint-department').click();
      await page.keyboard.type(dept.name);
      await page.keyboard.press('Enter');
      await page.getByTestId('citizen-complaint-subject').fill(`排队时间过长${viewport.width}`);
      await page.getByTestId('citizen-complaint-body').fill('办理食品经营许可时窗口只开一个，排队两个小时。');
      await page.getByTestId('citizen-complaint-submit').click();
      await page.getByTestId('citizen-complaint').filter({ hasText: `排队时间过长${viewport.width}` }).waitFor();
      expect(await fitsWidth(page)).toBe(true);
      if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/evaluation-citizen-${viewport.width}.png` });
      expect(errors).toEqual([]);
      await close();

      // the department admin follows the bad rating up
      const admin = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
      ({ page, errors, close } = await openPage(viewport));
      await fillLogin(page, admin.username, admin.password);
      await page.waitForSelector('[data-testid=current-user]');
      await page.goto('/evaluation/follow-ups');
      await page.getByTestId(`follow-up-${done.case_no}`).click();
      await page.getByTestId('follow-up-result').fill('已电话联系申请人致歉，增开两个窗口');
      await page.getByTestId('follow-up-save').click();
      await page.getByText('已记录回访').waitFor();
      expect(await fitsWidth(page)).toBe(true);
      expect(errors).toEqual([]);
      await close();

      // a supervisor accepts the complaint and (once) computes and publishes the month; the ranking lists it
      const supervisor = await newUser(db, { departmentId: dept.id, grants: [{ role: 'supervisor', regionCode: '650502' }] });
      ({ page, errors, close } = await openPage(viewport));
      await fillLogin(page, supervisor.username, supervisor.password);
      await page.waitForSelector('[data-testid=current-user]');
      await page.goto('/evaluation/complaints');
      const row = page.getByTestId('complaint-row').filter({ hasText: `排队时间过长${viewport.width}` });
      await row.getByText('受理', { exact: true }).click();
      await row.getByText('已受理').waitFor();
      expect(await fitsWidth(page)).toBe(true);
      if (viewport.width === 1440) {
        await page.goto(`/evaluation/scores?month=${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7)}`);
        await page.getByTestId('scores-compute').click();
        await page.getByText(/已计算 \d+ 个部门/).waitFor();
        await page.getByTestId(`score-${dept.id}`).waitFor();
        await page.getByTestId('scores-publish').click();
        await page.getByTestId('scores-publish-ok').click();
        await page.getByText('已发布').first().waitFor();
        await page.getByTestId(`score-${dept.id}`).click();
        await page.getByTestId('evaluation-trend').waitFor();
      }
      await page.goto('/evaluation/ranking');
      // the month was published by the 1440 px run (with its department)
      await page.getByTestId('ranking-row').filter({ hasText: '哈密市伊州区市场监督管理局1440' }).first().waitFor();
      expect(await fitsWidth(page)).toBe(true);
      if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/evaluation-ranking-${viewport.width}.png` });
      expect(errors).toEqual([]);
      await close();
    }, 240_000);
  }
});
