// The supervision cockpit (issue 9 §8) in Chromium on the real server with the demo (a fresh data directory, as
// scripts/screenshots.ts does): the demo supervisor jiwei sees the headline figures (the same as the API's) and the
// 哈密 map coloured by overdue rate at 1440 px and 390 px, opens a warning's case with its timeline and audit trail,
// and issues a 督办 order from a warning; a staff member of the carded department answers it on a phone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { newUser } from '../support/factories.ts';
import { CHROMIUM, waitForPaintedCanvas } from './browser.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEMO_PASSWORD = 'Hami@2026??';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 1000 };

let server: RunningServer | undefined;
let browser: Browser | undefined;
let dataDir: string | undefined;
let orderId: string | undefined;

async function open(viewport: { width: number; height: number }) {
  const context = await browser!.newContext({ baseURL: server!.url, viewport, ...(viewport.width < 768 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}), locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
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
  const api = (await (await page.request.get('/api/supervision/overview')).json()) as { totals: Record<string, number>; counties: { running: number }[] };
  expect(await shownFigures(page)).toEqual({ running: api.totals.running, overdue: api.totals.overdue, yellow: api.totals.yellow, red: api.totals.red, openOrders: api.totals.openOrders });
  expect(api.totals.running).toBeGreaterThan(0);
  expect(api.totals.yellow + api.totals.red).toBeGreaterThan(0);
  expect(Number(await page.locator('#supervision-map').getAttribute('data-counties'))).toBe(api.counties.filter((c) => c.running > 0).length);
}

describe('supervision cockpit', () => {
  beforeAll(async () => {
    expect(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing`).toBe(true);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govcloud-supervision-'));
    server = await startServer(loadConfig({ GOVCLOUD_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', GOVCLOUD_ADMIN_SECOND_FACTOR: 'false', GOVCLOUD_DEMO_RESIDENTS: '200', LOG_LEVEL: 'silent' }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('jiwei sees the figures and the map at 1440 px, drills into a case and issues an order from a warning', async () => {
    const { context, page, errors } = await open(DESKTOP);
    try {
      await signIn(page, 'jiwei', DEMO_PASSWORD);
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
      const order = await server!.boot.handle.db.selectFrom('supervision_order').select(['warning_id', 'state', 'deadline_days']).where('id', '=', orderId!).executeTakeFirstOrThrow();
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
      await signIn(page, 'jiwei', DEMO_PASSWORD);
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
    const db = server!.boot.handle.db;
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
