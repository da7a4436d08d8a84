// The console on a phone (390×844, grid workers' usual screen): every page and dialog fits the width (no horizontal
// page scroll), the menu sits in a drawer, tables keep their key column in view; and a community worker's home
// shows their community, not the whole city. Screenshots go to $SCREENSHOT_DIR when set.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, waitForPaintedCanvas, type BrowserSuite } from './browser.ts';

const PHONE = { width: 390, height: 844 };
let suite: BrowserSuite | undefined;

async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** The page is no wider than the screen: nothing makes the whole page scroll sideways. */
async function expectNoPageOverflow(page: Page, where: string): Promise<void> {
  const widths = await page.evaluate(`(() => {
    // The outermost elements that stick out on the right, to say what to fix.
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > ${PHONE.width} + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > ${PHONE.width} + 1))
      .slice(0, 5)
      .map((el) => el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' ' + Math.round(el.getBoundingClientRect().right));
    return { doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, wide };
  })()`) as { doc: number; body: number; wide: string[] };
  const culprits = widths.wide.join(', ');
  expect(widths.doc, `${where}: document is ${widths.doc}px wide (${culprits})`).toBeLessThanOrEqual(PHONE.width);
  expect(widths.body, `${where}: body is ${widths.body}px wide (${culprits})`).toBeLessThanOrEqual(PHONE.width);
}

/** The element is on screen horizontally (left edge inside the viewport, some of it visible). */
async function expectInView(page: Page, selector: string, where: string): Promise<void> {
  const box = await page.locator(selector).first().boundingBox();
  expect(box, `${where}: ${selector} has no box`).not.toBeNull();
  expect(box!.x, `${where}: ${selector} starts off screen`).toBeGreaterThanOrEqual(0);
  expect(box!.x, `${where}: ${selector} starts off screen`).toBeLessThan(PHONE.width - 20);
  expect(box!.width).toBeGreaterThan(0);
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await fillLogin(page, username, password);
  await page.waitForSelector('[data-testid=current-user]');
}

describe('web console on a phone (390×844)', () => {
  beforeAll(async () => {
    suite = await startSuite();
  }, 180_000);

  afterAll(async () => {
    await stopSuite(suite);
  });

  it('fits every page and dialog to the width, with the menu in a drawer', async () => {
    const { context, page } = await newPage(suite!, { viewport: PHONE, mobile: true });
    try {
      await page.goto('/login');
      await page.getByLabel('用户名', { exact: true }).waitFor();
      await expectNoPageOverflow(page, 'login');
      await expectInView(page, 'button[type=submit]', 'login');
      await shot(page, 'phone-login');

      await signIn(page, suite!.server.username, suite!.server.password);
      await page.waitForSelector('[data-testid=dashboard]');
      await waitForPaintedCanvas(page, '#hami-map');
      await expectNoPageOverflow(page, 'dashboard');
      // The header holds the brand, the menu button and the account button; the side menu is not taking room.
      await expectInView(page, '[data-testid=nav-toggle]', 'dashboard');
      await expectInView(page, '[data-testid=current-user]', 'dashboard');
      expect(await page.locator('.app-sider').count()).toBe(0);
      await page.waitForTimeout(600);
      await shot(page, 'phone-dashboard');

      // The menu opens in a drawer and navigates.
      await page.getByTestId('nav-toggle').click();
      const drawer = page.getByTestId('nav-drawer');
      await drawer.waitFor();
      await expectNoPageOverflow(page, 'menu drawer');
      await shot(page, 'phone-menu');
      await drawer.getByText('部门', { exact: true }).click();
      await page.waitForURL('**/departments');
      await drawer.waitFor({ state: 'hidden' });

      for (const [route, table, key] of [
        ['/departments', '[data-testid=department-table]', '.ant-table-tbody tr.ant-table-row td:first-child'],
        ['/users', '.ant-table', '.ant-table-tbody tr.ant-table-row td:first-child'],
        ['/regions', '.ant-table', '.ant-table-tbody tr.ant-table-row td:first-child'],
      ] as const) {
        await page.goto(route);
        await page.locator(`${table} .ant-table-tbody tr.ant-table-row`).first().waitFor();
        await expectNoPageOverflow(page, route);
        await expectInView(page, `${table} ${key}`, route);
        await expectInView(page, '[data-testid=pager]', route);
        await shot(page, `phone${route.replace('/', '-')}`);
      }
      // Totals and page numbers on the paged lists.
      await page.goto('/departments');
      await expect.poll(async () => (await page.getByTestId('pager-total').textContent()) ?? '').toMatch(/^共 \d+ 条$/);

      await page.goto('/audit');
      await page.locator('.page-title').first().waitFor();
      await expectNoPageOverflow(page, '/audit');
      await shot(page, 'phone-audit');

      // Dialogs.
      await page.goto('/departments');
      await page.getByTestId('department-create').click();
      await page.getByTestId('department-form').waitFor();
      await expectNoPageOverflow(page, 'department form');
      await expectInView(page, '#department-form-ok', 'department form');
      await shot(page, 'phone-department-form');
      await page.locator('#department-form-cancel').click();

      await page.goto('/users');
      await page.getByTestId('user-create').click();
      await page.getByTestId('user-create-form').waitFor();
      await expectNoPageOverflow(page, 'user form');
      await shot(page, 'phone-user-form');
      await page.keyboard.press('Escape');

      await page.getByTestId('current-user').click();
      await page.getByText('API 令牌', { exact: true }).click();
      await page.getByTestId('tokens-drawer').waitFor();
      await expectNoPageOverflow(page, 'tokens drawer');
      await shot(page, 'phone-tokens');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('keeps the side menu and the full header on a wide screen (1440 px)', async () => {
    const { context, page } = await newPage(suite!, { viewport: { width: 1440, height: 1000 } });
    try {
      await signIn(page, suite!.server.username, suite!.server.password);
      await page.waitForSelector('[data-testid=dashboard]');
      await waitForPaintedCanvas(page, '#hami-map');
      expect(await page.locator('.app-sider').isVisible()).toBe(true);
      expect(await page.getByTestId('nav-toggle').count()).toBe(0);
      expect(await page.locator('#hami-map').getAttribute('data-focus')).toBe('all');
      await page.waitForTimeout(600);
      await shot(page, 'desktop-dashboard');
      await page.goto('/users');
      await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
      await expect.poll(async () => (await page.getByTestId('pager-total').textContent()) ?? '').toMatch(/^共 \d+ 条$/);
      await shot(page, 'desktop-users');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("shows a community worker their community and its county, not the whole city", async () => {
    const { db } = await testDb();
    const community = await db
      .selectFrom('region as c')
      .innerJoin('region as t', 't.code', 'c.parent_code')
      .innerJoin('region as k', 'k.code', 't.parent_code')
      .select(['c.code', 'c.name', 'k.code as county_code', 'k.name as county_name'])
      .where('c.level', '=', 4)
      .where('c.code', 'like', '650521%')
      .orderBy('c.code')
      .limit(1)
      .executeTakeFirstOrThrow();
    const committee = await newDepartment(db, { regionCode: community.code, kind: 'mass_org', name: `${community.name}委员会` });
    const worker = await newUser(db, { departmentId: committee.id, grants: [{ role: 'community_worker', regionCode: community.code }] });

    for (const viewport of [PHONE, { width: 1440, height: 1000 }]) {
      const { context, page } = await newPage(suite!, { viewport, mobile: viewport === PHONE });
      try {
        await signIn(page, worker.username, worker.password);
        const card = page.getByTestId('jurisdiction-card');
        await card.waitFor();
        const text = (await card.textContent()) ?? '';
        expect(text).toContain(community.name);
        expect(text).toContain(community.county_name);
        // The map is the county's shape alone, highlighted; not the prefecture's choropleth.
        const map = page.locator('#hami-map');
        await expect.poll(() => map.getAttribute('data-focus')).toBe(community.county_code);
        await waitForPaintedCanvas(page, '#hami-map');
        expect((await page.textContent('body')) ?? '').not.toContain('伊州区');
        if (viewport === PHONE) await expectNoPageOverflow(page, 'community dashboard');
        await page.waitForTimeout(600);
        await shot(page, viewport === PHONE ? 'phone-community' : 'desktop-community');
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }
  }, 120_000);
});
