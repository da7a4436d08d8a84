// The calendar page, 我的待办 and 站内信 in Chromium at 1440 px and 390 px: the coverage banner until a year is
// loaded through the form, the header badges, opening a message marks it read.
import { sql } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../support/app.ts';
import { forgetYearsAfter2026, testDb } from '../support/db.ts';
import { newUser } from '../support/factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;
const root = path.resolve(import.meta.dirname, '../..');

beforeAll(async () => {
  suite = await startSuite();
}, 180_000);
afterAll(async () => stopSuite(suite));

async function pageWidth(page: Page): Promise<number> {
  return (await page.evaluate('document.documentElement.scrollWidth')) as number;
}

describe.each([
  ['desktop', { width: 1440, height: 1000 }, false],
  ['phone', { width: 390, height: 844 }, true],
] as const)('calendar, to-do and messages on a %s', (_name, viewport, mobile) => {
  it('loads a year through the form, shows the badges, and reads a message', { timeout: 120_000 }, async () => {
    const { db } = await testDb();
    const { services } = await testApp();
    // an administrator of one community: the whole suite's accounts awaiting activation would bury this one's item
    const { code: community } = await db.selectFrom('region').select('code').where('level', '=', 4).orderBy(sql`random()`).limit(1).executeTakeFirstOrThrow();
    const admin = await newUser(db, { regionCode: community, grants: [{ role: 'platform_admin', regionCode: community }] });
    const pending = await newUser(db, { departmentId: admin.departmentId, password: null }); // awaiting activation
    await db.transaction().execute((trx) => services.inbox.send(trx, { to: admin.id, module: 'test', kind: 'test.note', title: '请核对 2027 年节假日安排', link: '/calendar' }));
    await forgetYearsAfter2026(db);

    const { context, page } = await newPage(suite!, { viewport, mobile });
    try {
      await fillLogin(page, admin.username, admin.password);
      await page.waitForSelector('[data-testid=current-user]');
      await expect.poll(async () => page.getByTestId('inbox-badge').getAttribute('aria-label')).toBe('站内信 1');
      await expect.poll(async () => page.getByTestId('todo-badge').getAttribute('aria-label')).toMatch(/^待办 [1-9]/);
      await page.getByTestId('calendar-coverage-banner').waitFor();

      await page.getByTestId('todo-badge').click();
      await page.waitForURL('**/todo');
      const todo = page.getByTestId('todo-item').filter({ hasText: pending.username });
      await todo.filter({ hasText: '账号待激活' }).waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(viewport.width);
      await todo.getByRole('link').click();
      await page.waitForURL(`**/users?q=${pending.username}`);
      await page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: pending.username }).waitFor();

      await page.getByTestId('inbox-badge').click();
      await page.waitForURL('**/inbox');
      const item = page.getByTestId('inbox-item').filter({ hasText: '请核对 2027 年节假日安排' });
      await item.getByRole('button', { name: '查看' }).click();
      await page.waitForURL('**/calendar');
      await expect.poll(async () => page.getByTestId('inbox-badge').getAttribute('aria-label')).toBe('站内信 0');

      await page.getByTestId('calendar-years').locator('tr.ant-table-row').first().waitFor();
      expect(await pageWidth(page)).toBeLessThanOrEqual(viewport.width);
      await page.getByTestId('calendar-load-form').locator('textarea').fill(fs.readFileSync(path.join(root, 'docs/calendar/2027.example.json'), 'utf8'));
      await page.getByTestId('calendar-load-form').locator('button[type=submit]').click();
      await page.getByText('已载入 2027 年：10 个休息日，1 个调休上班日').waitFor();
      await page.getByTestId('calendar-coverage-banner').waitFor({ state: 'detached' });

      const compute = page.getByTestId('calendar-compute');
      await compute.locator('input').first().fill('2026-12-24');
      await compute.locator('input').nth(1).fill('10');
      await compute.locator('button[type=submit]').click();
      await expect.poll(async () => page.getByTestId('calendar-result').textContent()).toContain('2027-01-08');
      expect(await pageWidth(page)).toBeLessThanOrEqual(viewport.width);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
