// 交换统计 at 1440 px and at 390 px: totals, the ECharts charts painted, the detail table, no horizontal overflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../support/db.ts';
import { newDepartment, uniq } from '../support/factories.ts';
import { newClientApp, newResource } from '../support/data-factories.ts';
import { fillLogin, pickOption, newPage, pageErrors, startSuite, stopSuite, waitForPaintedCanvas, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;

/** A week of calls of one client application on a resource with a name of its own. */
async function statistics(): Promise<string> {
  const { db } = await testDb();
  const name = uniq('交换统计测试资源');
  const resource = await newResource(db, { name });
  const consumer = await newDepartment(db);
  const client = await newClientApp(db, { departmentId: consumer.id });
  const today = Date.now() + 8 * 3_600_000;
  await db
    .insertInto('exchange_stat')
    .values(
      Array.from({ length: 7 }, (_, back) => ({
        day: new Date(today - back * 86_400_000).toISOString().slice(0, 10),
        client_app_id: client.id,
        resource_id: resource.id,
        provider_department_id: resource.providerDepartmentId,
        consumer_department_id: consumer.id,
        calls: 100 + back * 10,
        rows: 90 + back * 10,
        refusals: back,
      })),
    )
    .execute();
  return name;
}

describe('exchange statistics page', () => {
  beforeAll(async () => {
    suite = await startSuite();
  }, 180_000);

  afterAll(async () => {
    await stopSuite(suite);
  });

  for (const viewport of [{ width: 1440, height: 1000 }, { width: 390, height: 844 }]) {
    it(`draws calls per day and lists them at ${viewport.width} px`, async () => {
      const name = await statistics();
      const { context, page } = await newPage(suite!, { viewport, mobile: viewport.width < 768 });
      try {
        await fillLogin(page, suite!.server.username, suite!.server.password);
        await page.waitForSelector('[data-testid=current-user]');
        await page.goto('/exchange/stats');
        await page.getByRole('heading', { name: '交换统计' }).waitFor();
        await waitForPaintedCanvas(page, '[data-testid=exchange-chart-consumer]');
        await waitForPaintedCanvas(page, '[data-testid=exchange-chart-resource]');
        await waitForPaintedCanvas(page, '[data-testid=exchange-chart-top]');
        await page.getByTestId('exchange-range').getByText('近 7 天').click();
        await waitForPaintedCanvas(page, '[data-testid=exchange-chart-consumer]');
        const total = Number(((await page.getByTestId('exchange-total-calls').locator('.ant-statistic-content-value').textContent()) ?? '0').replace(/,/g, ''));
        expect(total).toBeGreaterThanOrEqual(100 * 7 + 210);
        // other tests' rows share the database: our resource is picked in the filter, and then alone in the table
        await pickOption(page, page.getByTestId('exchange-resource'), name, name.slice(-8));
        await expect.poll(async () => (await page.getByTestId('exchange-table').locator('tbody tr.ant-table-row').count())).toBe(7);
        expect(await page.getByTestId('exchange-table').textContent()).toContain(name);
        expect(await page.getByTestId('exchange-total-calls').textContent()).toContain('910');
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/exchange-stats-${viewport.width}.png`, fullPage: true });
        const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        expect(width).toBeLessThanOrEqual(viewport.width);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
