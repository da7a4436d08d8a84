// The supervision cockpit (issue 9 §8) in Chromium on the test server: the supervisor jiwei (纪检监察, over the whole
// prefecture, as in the demo) sees the headline figures (the same as the API's) and the 哈密 map coloured by overdue
// rate at 1440 px and 390 px, opens a red card's case with its timeline and audit trail, and issues a 督办 order from a
// warning; a staff member of the carded department answers it on a phone. The cases and their cards are made here, in
// three counties (the demo on a data directory of its own took more than 25 minutes to seed on the shared machine).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.ts';
import type { SupervisionService } from '../../src/modules/supervision/service.ts';
import { testApp } from '../support/app.ts';
import { newCase, newItem } from '../support/approval-factories.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { startSuite, stopSuite, waitForPaintedCanvas, type BrowserSuite } from './browser.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEMO_PASSWORD = 'Hami@2026??';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 1000 };

let suite: BrowserSuite | undefined;
let db: Kysely<Database>;
let orderId: string | undefined;
const supervisor = { username: 'jiwei', password: DEMO_PASSWORD };

/** Departments in three counties with running cases, some past their limits, and the cards the rules fire. */
async function seed(supervision: SupervisionService) {
  const counties = [
    { code: '650502', dept: '伊州区市场监督管理局', item: '食品经营许可证核发', late: 3, fine: 4 },
    { code: '650521', dept: '巴里坤哈萨克自治县自然资源局', item: '建设用地规划许可证核发', late: 2, fine: 6 },
    { code: '650522', dept: '伊吾县交通运输局', item: '道路运输经营许可', late: 1, fine: 8 },
  ];
  for (const c of counties) {
    const dept = await newDepartment(db, { regionCode: c.code, name: c.dept });
    const item = await newItem(db, { departmentId: dept.id, name: c.item });
    for (let i = 0; i < c.late + c.fine; i++) {
      const late = i < c.late;
      const made = await newCase(db, item, late
        ? { state: 'reviewing', appliedOn: '2026-11-02', registeredAt: new Date('2026-11-02T10:00:00+08:00'), promisedDue: '2026-11-16', statutoryDue: '2026-11-23' }
        : { state: 'reviewing', appliedOn: '2026-11-20', registeredAt: new Date('2026-11-20T10:00:00+08:00'), promisedDue: '2027-01-20', statutoryDue: '2027-02-20' });
      if (late) await db.transaction().execute((trx) => supervision.engine.evaluateCase(trx, made.id, '2026-11-25'));
    }
  }
  if (!(await db.selectFrom('app_user').select('id').where('username', '=', supervisor.username).executeTakeFirst())) {
    const watch = await newDepartment(db, { regionCode: '6505', name: '哈密市纪委监委' });
    await newUser(db, { username: supervisor.username, password: supervisor.password, displayName: '纪检监察员', departmentId: watch.id, grants: [{ role: 'supervisor', regionCode: '6505' }] });
  }
}

async function open(viewport: { width: number; height: number }) {
  const context = await suite!.browser.newContext({ baseURL: suite!.server.url, viewport, ...(viewport.width < 768 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}), locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { context, page, errors };
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.locator('button[type=submit]').click();
  await page.waitForSelector('[data-testid=current-user]');
}

/** The cockpit's figures as shown, keyed like the API's totals. */
async function shownFigures(page: Page) {
  const value = async (key: string) => Number((await page.getByTestId(`supervision-stat-${key}`).locator('.ant-statistic-content-value').innerText()).replace(/[^\d]/g, ''));
  return { running: await value('running'), overdue: await value('overdue'), yellow: await value('yellow'), red: await value('red'), openOrders: await value('orders') };
}

async function openCockpit(page: Page) {
  await page.goto('/supervision');
  await page.getByTestId('supervision-stat-running').waitFor();
  await waitForPaintedCanvas(page, '#supervision-map');
  await page.locator('[data-testid=supervision-warnings] .ant-table-row').first().waitFor();
  const api = (await (await page.request.get('/api/supervision/overview')).json()) as { totals: { running: number; overdue: number; yellow: number; red: number; openOrders: number }; counties: { running: number }[] };
  expect(await shownFigures(page)).toEqual({ running: api.totals.running, overdue: api.totals.overdue, yellow: api.totals.yellow, red: api.totals.red, openOrders: api.totals.openOrders });
  expect(api.totals.running).toBeGreaterThan(0);
  expect(api.totals.yellow + api.totals.red).toBeGreaterThan(0);
  expect(Number(await page.locator('#supervision-map').getAttribute('data-counties'))).toBe(api.counties.filter((c) => c.running > 0).length);
}

describe('supervision cockpit', () => {
  beforeAll(async () => {
    ({ db } = await testDb());
    const { services } = await testApp();
    await seed((services as unknown as { supervision: SupervisionService }).supervision);
    suite = await startSuite();
  }, 600_000);

  afterAll(async () => {
    await stopSuite(suite);
  });

  it('jiwei sees the figures and the map at 1440 px, drills into a case and issues an order from a warning', async () => {
    const { context, page, errors } = await open(DESKTOP);
    try {
      await signIn(page, supervisor.username, supervisor.password);
      await openCockpit(page);
      expect(await page.locator('[data-testid=supervision-departments] .ant-table-row').count()).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(ROOT, 'docs/screenshot-supervision.png') });

      // a red card: its case's timeline and the audit trail in the drawer
      await page.getByTestId('supervision-filter-level').click();
      await page.locator('.ant-select-item-option').filter({ hasText: '红牌' }).click();
      const row = page.locator('[data-testid=supervision-warnings] .ant-table-row[data-level=red]').first();
      await row.waitFor();
      await row.getByRole('button', { name: /查\s*看/ }).click();
      const drawer = page.getByTestId('supervision-drawer');
      await drawer.getByTestId('supervision-timeline').waitFor();
      await drawer.getByTestId('supervision-audit').or(drawer.getByText('暂无审计记录')).first().waitFor();
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });

      // 督办: the order form with its deadline in working days
      const warningId = await row.getAttribute('data-warning');
      await row.getByTestId('supervision-order-button').click();
      await page.getByTestId('supervision-issue-content').fill('该办件已超法定时限，请于期限内书面说明原因并整改。');
      await page.getByTestId('supervision-issue-days').fill('3');
      await page.getByTestId('supervision-issue-ok').click();
      await page.waitForURL(/\/supervision\/orders\/[0-9a-f-]{36}$/);
      orderId = new URL(page.url()).pathname.split('/').pop();
      await page.getByTestId('supervision-order-drawer').getByText('待答复').first().waitFor();
      const order = await db.selectFrom('supervision_order').select(['warning_id', 'state', 'deadline_days']).where('id', '=', orderId!).executeTakeFirstOrThrow();
      expect(order).toEqual({ warning_id: warningId, state: 'issued', deadline_days: 3 });
      // the supervisor may not answer: no answer button in the drawer
      expect(await page.getByTestId('supervision-order-respond').count()).toBe(0);
      const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      expect(width).toBeLessThanOrEqual(DESKTOP.width);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 300_000);

  it('jiwei sees the cockpit at 390 px without sideways scrolling', async () => {
    const { context, page, errors } = await open(PHONE);
    try {
      await signIn(page, supervisor.username, supervisor.password);
      await openCockpit(page);
      const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      expect(width).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: path.join(ROOT, 'docs/screenshot-supervision-390.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 300_000);

  it('the carded department answers the order on a phone, and it waits for the supervisor', async () => {
    expect(orderId, 'the order of the first test').toBeDefined();
    const target = await db.selectFrom('supervision_order as o').innerJoin('department as d', 'd.id', 'o.department_id').select(['o.department_id', 'd.region_code']).where('o.id', '=', orderId!).executeTakeFirstOrThrow();
    const staff = await newUser(db, { departmentId: target.department_id, grants: [{ role: 'department_staff', regionCode: target.region_code }] });
    const { context, page, errors } = await open(PHONE);
    try {
      await signIn(page, staff.username, staff.password);
      await page.goto(`/supervision/orders/${orderId}`);
      await page.getByTestId('supervision-order-respond').click();
      await page.getByTestId('supervision-respond-text').fill('已约谈承办人员，办件已办结，并修订内部审批流程。');
      await page.getByTestId('supervision-respond-text-ok').click();
      await page.getByTestId('supervision-order-response').getByText('已约谈承办人员').waitFor();
      await page.getByTestId('supervision-order-drawer').getByText('已答复待审核').first().waitFor();
      expect(await page.getByTestId('supervision-order-respond').count()).toBe(0);
      const row = await db.selectFrom('supervision_order').select(['state', 'response']).where('id', '=', orderId!).executeTakeFirstOrThrow();
      expect(row).toEqual({ state: 'responded', response: '已约谈承办人员，办件已办结，并修订内部审批流程。' });
      const audited = await db.selectFrom('audit_log').select('action').where('object_id', '=', orderId!).orderBy('seq').execute();
      expect(audited.map((a) => a.action)).toEqual(['supervision.order.issue', 'supervision.order.respond']);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 300_000);
});
