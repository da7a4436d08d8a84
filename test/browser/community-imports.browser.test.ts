// 数字社区 at 1440 px and at 390 px: import a CSV with a bad row (outcome, report drawer, download link), open a
// building's residents, and the move dialog with the resident's residence history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMUNITY_A, makeIdNumber, newGrid, newResident } from '../support/community-factories.ts';
import { testDb } from '../support/db.ts';
import { uniq } from '../support/factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;

describe('community imports, buildings and moves', () => {
  beforeAll(async () => {
    suite = await startSuite();
  }, 180_000);

  afterAll(async () => {
    await stopSuite(suite);
  });

  for (const viewport of [{ width: 1440, height: 1000 }, { width: 390, height: 844 }]) {
    it(`imports a file, shows a building and the move dialog at ${viewport.width} px`, async () => {
      const { db } = await testDb();
      const name = uniq('浏览器导入');
      const { context, page } = await newPage(suite!, { viewport, mobile: viewport.width < 768 });
      const noOverflow = async () => expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(viewport.width);
      try {
        await fillLogin(page, suite!.server.username, suite!.server.password);
        await page.waitForSelector('[data-testid=current-user]');
        await page.goto('/community/imports');
        const csv = `公民身份号码,姓名,民族,手机号码,社区代码,居住类型\n${makeIdNumber('1980-05-06', 'M')},${name},汉族,13912345678,${COMMUNITY_A},户籍\n${makeIdNumber('1981-05-06', 'F')},${name}乙,汉族,12345,${COMMUNITY_A},户籍\n`;
        await page.locator('input[type=file]').setInputFiles({ name: '居民.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
        const outcome = page.getByTestId('community-import-outcome');
        await outcome.waitFor();
        expect(await outcome.textContent()).toContain('新增 1 人');
        await page.getByTestId('community-import-rejection').first().waitFor();
        expect(await page.locator('.ant-drawer').textContent()).toContain('手机号码格式不正确');
        expect(await page.getByTestId('community-import-report-csv').getAttribute('href')).toMatch(/report\.csv$/);
        await page.locator('.ant-drawer-close').click();
        expect(await page.getByTestId('community-import-history').textContent()).toContain('居民.csv');
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/community-imports-${viewport.width}.png` });
        await noOverflow();

        // a building with a resident: its drawer lists them
        const grid = await newGrid(db, { communityCode: COMMUNITY_A });
        const building = await db.insertInto('community_building').values({ community_code: COMMUNITY_A, region_path: grid.region_path, grid_id: grid.id, name: `0${viewport.width}号楼` }).returning('id').executeTakeFirstOrThrow();
        const dweller = await newResident(db, { communityCode: COMMUNITY_A, name: uniq('楼内居民') });
        await db.updateTable('community_resident').set({ building_id: building.id }).where('id', '=', dweller.id).execute();
        await page.goto('/community/buildings');
        await page.getByTestId('community-building-row').filter({ hasText: `0${viewport.width}号楼` }).first().click();
        await page.getByTestId('community-building-residents').getByText(dweller.name).waitFor();
        await page.locator('.ant-drawer-close').click();
        await noOverflow();

        // the move dialog shows where the resident has lived
        await page.goto('/community/residents');
        await page.getByTestId('resident-search').locator('input').fill(name);
        await page.getByTestId('resident-search').locator('input').press('Enter');
        await page.getByTestId('community-move').first().click();
        await page.getByTestId('community-move-form').waitFor();
        await page.locator('.ant-modal').getByText('建国北路社区').first().waitFor();
        expect(await page.locator('.ant-modal').textContent()).toContain('原社区保留居住记录');
        await noOverflow();
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
