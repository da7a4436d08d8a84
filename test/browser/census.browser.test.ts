// 统计分析 in headless Chromium at 390 and 1440 px: the prefecture's breakdown with its chart and map, a drill-down
// into a county through the children table, a cross-tab; the page fits the phone's width and throws nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newResident } from '../support/community-factories.ts';
import { testDb } from '../support/db.ts';
import { newUser, TEST_PASSWORD } from '../support/factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, waitForPaintedCanvas, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;

beforeAll(async () => {
  suite = await startSuite();
}, 180_000);

afterAll(async () => {
  await stopSuite(suite);
});

describe('统计分析 (Chromium)', () => {
  it('drills from the prefecture into a county, at 390 and 1440 px', async () => {
    const { db } = await testDb();
    for (let i = 0; i < 5; i++) await newResident(db, { communityCode: '650502001002' });
    const admin = await newUser(db, { grants: [{ role: 'leader', regionCode: '6505' }] });
    for (const [viewport, mobile] of [
      [{ width: 390, height: 844 }, true],
      [{ width: 1440, height: 900 }, false],
    ] as const) {
      const { context, page } = await newPage(suite!, { viewport, mobile });
      try {
        await fillLogin(page, admin.username, TEST_PASSWORD);
        await page.waitForURL((u) => !u.pathname.startsWith('/login'));
        await page.goto('/census');
        await waitForPaintedCanvas(page, '[data-testid="census-chart"]');
        await waitForPaintedCanvas(page, '[data-testid="census-map"]');
        await page.getByTestId('drill-650502').click();
        await expect.poll(async () => (await page.getByTestId('census-breadcrumb').textContent()) ?? '').toContain('伊州区');
        await page.getByLabel('交叉维度').click();
        await page.getByTitle('性别').last().click();
        await expect.poll(async () => (await page.locator('body').textContent()) ?? '').toContain('交叉分析');
        expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }
  }, 180_000);
});
