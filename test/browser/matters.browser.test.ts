// 监察事项 in Chromium at 390 and 1440 px: a market bureau's staff records a penalty above the article's range and sees
// its warnings in the drawer; a supervisor of the county finds it in the warnings list; the public penalty page shows
// the decided penalty without signing in (the company named, nobody's ID number).
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;
let staff: { username: string; password: string };
let supervisor: { username: string; password: string };

beforeAll(async () => {
  suite = await startSuite();
  const { db } = await testDb();
  const bureau = await newDepartment(db, { regionCode: '650502', name: `伊州区市场监督管理局${randomInt(0, 1e6)}` });
  staff = await newUser(db, { departmentId: bureau.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  supervisor = await newUser(db, { grants: [{ role: 'supervisor', regionCode: '650502' }] });
}, 180_000);

afterAll(() => stopSuite(suite));

const fitsWidth = (page: import('playwright-core').Page) => page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;

describe('supervised matters (Chromium)', () => {
  for (const [width, mobile] of [
    [390, true],
    [1440, false],
  ] as const) {
    it(`records a penalty, sees its warnings and its public disclosure at ${width} px`, async () => {
      const company = `哈密测试乳业有限公司${width}${randomInt(0, 1e6)}`;
      const refNo = `伊市监处罚〔2026〕${randomInt(0, 1e6)}号`;
      const { context, page } = await newPage(suite!, { viewport: { width, height: 900 }, mobile });
      try {
        await fillLogin(page, staff.username, staff.password);
        await page.waitForURL((u) => !u.pathname.startsWith('/login'));
        await page.goto('/matters/mine');
        await page.getByTestId('matters-penalty-new').click();
        const form = page.getByTestId('matter-form');
        await form.waitFor();
        await form.getByTestId('matter-f-title').fill(`${company}超范围使用食品添加剂案`);
        await form.getByTestId('matter-f-refNo').fill(refNo);
        await form.getByTestId('matter-f-partyName').fill(company);
        await form.getByLabel('处罚依据').click();
        await form.getByLabel('处罚依据').fill('第一百二十四条');
        await page.locator('.ant-select-item-option').filter({ hasText: '第一百二十四条' }).first().click();
        await form.getByTestId('matter-f-amountYuan').fill('150000');
        await form.getByTestId('matter-f-filedOn').fill('2026-06-01');
        await form.getByTestId('matter-f-decidedOn').fill('2026-10-20');
        await page.locator('#matter-form-ok').click();
        const detail = page.getByTestId('matter-detail');
        await detail.waitFor({ timeout: 20_000 });
        await expect.poll(async () => detail.textContent()).toContain('罚款金额超出裁量基准');
        expect(await detail.textContent()).toContain('较大数额罚款未告知听证权利');
        expect(await detail.textContent()).toContain('立案后超90日未作出处罚决定');
        expect(await fitsWidth(page)).toBe(true);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }

      // the supervisor of the county sees the warnings
      const sup = await newPage(suite!, { viewport: { width, height: 900 }, mobile });
      try {
        await fillLogin(sup.page, supervisor.username, supervisor.password);
        await sup.page.waitForURL((u) => !u.pathname.startsWith('/login'));
        await sup.page.goto('/matters');
        await sup.page.getByTestId('matters-tab-warnings').click();
        await expect.poll(async () => (await sup.page.getByTestId('matters-warning-row').allTextContents()).join('\n'), { timeout: 20_000 }).toContain(refNo);
        expect(await fitsWidth(sup.page)).toBe(true);
        expect(pageErrors(sup.page)).toEqual([]);
      } finally {
        await sup.context.close();
      }

      // and anyone reads the disclosure
      const anon = await newPage(suite!, { viewport: { width, height: 900 }, mobile });
      try {
        await anon.page.goto('/public/penalties');
        await anon.page.getByTestId('public-penalties-title').waitFor();
        await anon.page.getByTestId('public-penalties-search').locator('input').fill(company);
        await anon.page.getByTestId('public-penalties-search').locator('input').press('Enter');
        await expect.poll(async () => (await anon.page.getByTestId('public-penalty-party').allTextContents()).join('\n'), { timeout: 20_000 }).toContain(company);
        expect(await anon.page.getByTestId('public-home-link').getAttribute('href')).toBe('/public');
        expect(await fitsWidth(anon.page)).toBe(true);
        expect(pageErrors(anon.page)).toEqual([]);
      } finally {
        await anon.context.close();
      }
    }, 180_000);
  }
});
