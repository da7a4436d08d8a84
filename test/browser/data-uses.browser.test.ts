// 我的数据被谁用了 in headless Chromium on a 390 px phone: the citizen signs in and sees who read their data (a covert
// read hidden); then the staff pages of issue 7 parts 6–8 (质量评估与排名, 人员综合视图, 数据使用记录) at 390 and 1440 px.
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Permission } from '../../src/shared/access.ts';
import { CITIZEN_PASSWORD, Caller, citizenApp, registerCitizen, type CitizenApp } from '../../src/modules/citizens/test-helpers.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser, TEST_PASSWORD } from '../support/factories.ts';
import { newClientApp, newDataGrant, newResource, newRows } from '../support/data-factories.ts';
import { CHROMIUM, waitForPaintedCanvas } from './browser.ts';

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

const fitsWidth = (page: Page) => page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;

describe('data uses, quality and the resident view (Chromium)', () => {
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

  it('shows a citizen on a 390 px phone who read their data, without the covert read', async () => {
    const { db } = await testDb();
    const citizen = await registerCitizen(new Caller(suite!.app), suite!.smsc);
    const provider = await newDepartment(db, { regionCode: '650502' });
    const resource = await newResource(db, { providerDepartmentId: provider.id, regionCode: '650502' });
    const consumer = await newDepartment(db, { regionCode: '650502', name: `伊州区综治中心${Date.now()}` });
    const app = await newClientApp(db, { departmentId: consumer.id });
    const open = await newDataGrant(db, { resource, consumerDepartmentId: consumer.id, items: ['id_number', 'name'] });
    const covert = await newDataGrant(db, { resource, consumerDepartmentId: consumer.id, items: ['phone'], covert: true });
    const permission = 'exchange.call' as Permission;
    for (const [grant, purpose, fields] of [
      [open.shareId, '网格化服务管理', ['id_number', 'name']],
      [covert.shareId, '案件调查', ['phone']],
    ] as const) {
      await suite!.services.audit.recordAccess(
        { actor: { userId: app.id, username: app.clientId, displayName: '综治平台', kind: 'staff', departmentId: consumer.id, grants: [], via: 'token' }, clientAddr: null, requestId: null, audited: false },
        {
          resource: `data:${resource.code}`,
          subjectIds: [citizen.idNumber],
          fields,
          permission,
          scope: { permission, paths: [], departments: [], shares: [] },
          regionCode: '650502',
          detail: { via: 'exchange', grantId: grant, resourceCode: resource.code, resourceName: '人口基础信息', clientName: '综治平台', consumerDepartmentName: consumer.name, purpose, rows: 1 },
        },
      );
    }

    const mobile = await openPage({ width: 390, height: 844 });
    try {
      const { page } = mobile;
      await page.goto('/citizen');
      await page.getByRole('tab', { name: '密码登录' }).click();
      await page.getByLabel('手机号或身份证号').fill(citizen.idNumber);
      await page.getByLabel('密码', { exact: true }).fill(CITIZEN_PASSWORD);
      await page.getByRole('button', { name: '登 录' }).click();
      await page.getByTestId('citizen-profile').waitFor();
      await page.getByRole('tab', { name: '我的数据被谁用了' }).click();
      await page.getByTestId('citizen-data-use').first().waitFor();
      const cards = page.getByTestId('citizen-data-use');
      expect(await cards.count()).toBe(1);
      const text = (await cards.first().textContent()) ?? '';
      expect(text).toContain(consumer.name);
      expect(text).toContain('综治平台');
      expect(text).toContain('网格化服务管理');
      expect(text).toContain('公民身份号码');
      expect(text).not.toContain('案件调查');
      expect(await fitsWidth(page)).toBe(true);
      expect(mobile.errors).toEqual([]);
    } finally {
      await mobile.close();
    }
  }, 120_000);

  it('opens 质量评估与排名, 人员综合视图 and 数据使用记录 at 390 and 1440 px', async () => {
    const { db } = await testDb();
    const staff = await newUser(db, { regionCode: '650502', grants: [{ role: 'leader', regionCode: '650502' }, { role: 'auditor', regionCode: '650502' }, { role: 'department_staff', regionCode: '650502' }] });
    const provider = await newDepartment(db, { regionCode: '650502' });
    const resource = await newResource(db, { providerDepartmentId: provider.id, regionCode: '650502', theme: 'population', name: `人口基础信息${Date.now()}` });
    await db.updateTable('data_resource').set({ status: 'published' }).where('id', '=', resource.id).execute();
    const person = (await registerCitizen(new Caller(suite!.app), suite!.smsc)).idNumber;
    await newRows(db, resource, [{ id_number: person, name: '张三丰', phone: '13812345678', region: '650502' }]);
    await newDataGrant(db, { resource, consumerDepartmentId: staff.departmentId, items: ['id_number', 'name', 'phone'] });

    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1440, height: 900 },
    ]) {
      const view = await openPage(viewport);
      try {
        const { page } = view;
        await page.goto('/login');
        await page.getByLabel('用户名', { exact: true }).fill(staff.username);
        await page.getByLabel('密码', { exact: true }).fill(TEST_PASSWORD);
        await page.locator('button[type=submit]').click();
        await page.waitForURL((u) => !u.pathname.startsWith('/login'));

        await page.goto('/quality');
        await page.getByTestId('quality-formula').waitFor();
        await waitForPaintedCanvas(page, '[data-testid="quality-chart"]');
        expect(await fitsWidth(page)).toBe(true);

        await page.goto('/residents');
        await page.getByTestId('resident-id').locator('input').fill(person);
        await page.getByTestId('resident-id').locator('input').press('Enter');
        const card = page.getByTestId('resident-source').filter({ hasText: '人口基础信息' }).first();
        await card.waitFor();
        await expect.poll(async () => (await page.locator('.resident-grid').textContent()) ?? '').toContain('138****5678');
        expect(await fitsWidth(page)).toBe(true);

        await page.goto('/data-uses');
        await page.getByTestId('data-uses-id').locator('input').fill(person);
        await page.getByTestId('data-uses-id').locator('input').press('Enter');
        // the resident view just read the person's row: it is on their record
        await expect.poll(async () => (await page.locator('.page').textContent()) ?? '', { timeout: 20_000 }).toContain('人员综合视图');
        expect(await fitsWidth(page)).toBe(true);
        expect(view.errors).toEqual([]);
      } finally {
        await view.close();
      }
    }
  }, 180_000);
});
