// 数据归集 at 1440 px and at 390 px: pick a resource, upload a CSV with a bad row, see the load and its rejection report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../support/db.ts';
import { newResource } from '../support/data-factories.ts';
import { idNumberCheckCharacter } from '../../src/shared/id-number.ts';
import { fillLogin, pickOption, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;

const id = (n: number) => {
  const first17 = `65050219800101${String(n).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
};

describe('datasets page', () => {
  beforeAll(async () => {
    suite = await startSuite();
  }, 180_000);

  afterAll(async () => {
    await stopSuite(suite);
  });

  for (const viewport of [{ width: 1440, height: 1000 }, { width: 390, height: 844 }]) {
    it(`uploads a file and shows its rejections at ${viewport.width} px`, async () => {
      const { db } = await testDb();
      const resource = await newResource(db, { name: `浏览器归集${viewport.width}` });
      const { context, page } = await newPage(suite!, { viewport, mobile: viewport.width < 768 });
      try {
        await fillLogin(page, suite!.server.username, suite!.server.password);
        await page.waitForSelector('[data-testid=current-user]');
        await page.goto('/datasets');
        const select = page.getByTestId('datasets-resource');
        await pickOption(page, select, resource.code);
        await page.getByText('现有 0 行').waitFor();
        const csv = `公民身份号码,姓名,联系电话,所在区划\n${id(1)},张三,13912345678,650502\n${id(2)},李四,12345,650502\n`;
        await page.locator('input[type=file]').setInputFiles({ name: '人口.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
        const outcome = page.getByTestId('datasets-outcome');
        await outcome.waitFor();
        expect(await outcome.textContent()).toContain('接收 1 行，拒收 1 行');
        // the report opens by itself when rows were rejected
        await page.getByTestId('datasets-rejection').first().waitFor();
        expect(await page.locator('.ant-drawer').textContent()).toContain('不是有效的手机号码');
        expect(await page.getByTestId('datasets-report-csv').getAttribute('href')).toMatch(/rejections\.csv$/);
        await page.locator('.ant-drawer-close').click();
        await page.getByTestId('datasets-load').first().waitFor();
        expect(await page.getByTestId('datasets-loads-table').textContent()).toContain('已入库');
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/datasets-${viewport.width}.png` });
        const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        expect(width).toBeLessThanOrEqual(viewport.width);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
