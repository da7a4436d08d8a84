// The shared list page (web/src/components/list/ListPage.tsx) on the department list, at 1440 px and at 390 px:
// filter and total, page size and paging, sorting, column settings that persist, CSV and XLSX export of the current
// filter (read back), the empty state, and a row that opens its own page (/departments/:id).
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../support/db.ts';
import { newDepartment } from '../support/factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;
const ROWS = 23;

beforeAll(async () => {
  suite = await startSuite();
}, 180_000);
afterAll(() => stopSuite(suite));

/** Departments named 列表<tag>-23 … -01, created in that order: the server's order (by code) is the names' reverse. */
async function departments(tag: string): Promise<string[]> {
  const { db } = await testDb();
  const names: string[] = [];
  for (let i = ROWS; i >= 1; i--) {
    const name = `列表${tag}-${String(i).padStart(2, '0')}`;
    await newDepartment(db, { name });
    names.push(name);
  }
  return names;
}

const nameCells = (page: Page, phone: boolean) =>
  page.locator(`[data-testid=department-table] tbody tr.ant-table-row td:nth-child(${phone ? 1 : 2})`).evaluateAll((cells) => cells.map((c) => (c.textContent ?? '').trim()));

async function download(page: Page, item: 'csv' | 'xlsx'): Promise<{ name: string; body: Buffer }> {
  const pending = page.waitForEvent('download');
  await page.getByTestId('department-list-export').click();
  await page.getByTestId(`department-list-export-${item}`).click();
  const file = await pending;
  return { name: file.suggestedFilename(), body: fs.readFileSync((await file.path())!) };
}

for (const viewport of [{ name: 'desktop', width: 1440, height: 1000, phone: false }, { name: 'phone', width: 390, height: 844, phone: true }]) {
  describe(`list page (${viewport.name}, ${viewport.width} px)`, () => {
    it('filters, counts, pages, sorts, hides columns, exports the filter and opens a row', async () => {
      const tag = `${viewport.name}${Date.now().toString(36)}`;
      const names = await departments(tag);
      const { context, page } = await newPage(suite!, { viewport, mobile: viewport.phone });
      try {
        await fillLogin(page, suite!.server.username, suite!.server.password);
        await page.waitForURL((url) => !url.pathname.startsWith('/login'));
        await page.goto('/departments');
        await page.getByTestId('department-search').locator('input').fill(`列表${tag}`);
        await page.getByTestId('department-search').locator('input').press('Enter');
        await expect.poll(() => page.getByTestId('pager-total').innerText()).toContain(String(ROWS));

        // paging: 20 on page 1 in the server's order, the other 3 on page 2
        const shown = async () => (await nameCells(page, viewport.phone)).map((c) => c.slice(0, names[0]!.length));
        await expect.poll(() => nameCells(page, viewport.phone)).toHaveLength(20);
        const first = await shown();
        await page.locator('.cursor-pager').getByRole('button', { name: '下一页' }).click();
        await expect.poll(() => nameCells(page, viewport.phone)).toHaveLength(ROWS - 20);
        expect([...first, ...(await shown())].sort()).toEqual([...names].sort());
        await page.locator('.cursor-pager').getByRole('button', { name: '上一页' }).click();
        await expect.poll(shown).toEqual(first);

        // sorting the page by name: ascending, then descending (the server's order differs: it is not by name)
        expect(first).not.toEqual([...first].sort());
        const header = page.locator('[data-testid=department-table] thead th').filter({ hasText: '部门名称' }).first();
        await header.click();
        expect(await shown()).toEqual([...first].sort());
        await header.click();
        expect(await shown()).toEqual([...first].sort().reverse());

        // column settings: hide the credit code; the choice survives a reload
        const creditHeader = page.locator('[data-testid=department-table] thead th').filter({ hasText: '统一社会信用代码' });
        await expect.poll(() => creditHeader.count()).toBe(1);
        await page.getByTestId('department-columns').click();
        await page.getByTestId('department-columns-panel').getByText('统一社会信用代码').click();
        await expect.poll(() => creditHeader.count()).toBe(0);
        await page.reload();
        await page.getByTestId('department-search').locator('input').fill(`列表${tag}`);
        await page.getByTestId('department-search').locator('input').press('Enter');
        await expect.poll(() => page.getByTestId('pager-total').innerText()).toContain(String(ROWS));
        expect(await creditHeader.count()).toBe(0);

        // CSV of the whole filter (both pages), without the hidden column
        const csv = await download(page, 'csv');
        expect(csv.name).toMatch(/^department-\d{14}\.csv$/);
        const lines = csv.body.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
        expect(lines).toHaveLength(ROWS + 1);
        expect(lines[0]).toContain('部门名称');
        expect(lines[0]).not.toContain('统一社会信用代码');
        expect(lines.slice(1).map((l) => l.split(',')[1]).sort()).toEqual([...names].sort());

        // XLSX of the same, read back
        const xlsx = await download(page, 'xlsx');
        expect(xlsx.name).toMatch(/^department-\d{14}\.xlsx$/);
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
        const sheet = book.worksheets[0]!;
        expect(sheet.rowCount).toBe(ROWS + 1);
        const names2 = sheet.getColumn(2).values.slice(2).map(String).sort();
        expect(names2).toEqual([...names].sort());

        // the empty state
        await page.getByTestId('department-search').locator('input').fill(`无此部门${tag}`);
        await page.getByTestId('department-search').locator('input').press('Enter');
        await expect.poll(() => page.getByTestId('department-table').innerText()).toContain('暂无数据');

        // a row opens its own page: /departments/:id
        await page.getByTestId('department-search').locator('input').fill(names[0]!);
        await page.getByTestId('department-search').locator('input').press('Enter');
        await page.getByTestId('department-table').getByRole('link').first().click();
        await page.waitForURL(/\/departments\/[0-9a-f-]{36}$/);
        await expect.poll(() => page.getByTestId('department-detail').innerText()).toContain(names[0]!);
        await expect.poll(() => page.getByTestId('department-members-table').isVisible()).toBe(true);
        if (viewport.phone) expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120_000);
  });
}
