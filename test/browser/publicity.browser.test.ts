// The public pages in headless Chromium, without signing in: the progress lookup and the disclosure list at 390 and
// 1440 px, the citizen landing on a phone, and the LED big screen at 1920×1080 receiving a live update over SSE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { chinaDate } from '../../src/shared/id-number.ts';
import { newCase, newItem } from '../support/approval-factories.ts';
import { testDb } from '../support/db.ts';
import { uniq } from '../support/factories.ts';
import { newPage, pageErrors, startSuite, stopSuite, waitForPaintedCanvas, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;
let db: Kysely<Database>;

const fitsWidth = (page: import('playwright-core').Page) => page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;

beforeAll(async () => {
  ({ db } = await testDb());
  suite = await startSuite();
}, 180_000);

afterAll(async () => {
  await stopSuite(suite);
});

describe('public pages (Chromium)', () => {
  for (const viewport of [
    { width: 390, height: 844 },
    { width: 1440, height: 1000 },
  ]) {
    it(`looks up a case's progress without signing in at ${viewport.width} px`, async () => {
      const item = await newItem(db, { regionCode: '650502', name: uniq('食品经营许可') });
      const c = await newCase(db, item, { state: 'accepted', applicantName: '古丽娜', acceptedOn: '2026-11-02', statutoryDue: '2026-12-30', promisedDue: '2026-12-15', stepsDone: ['accept'] });
      const { context, page } = await newPage(suite!, { viewport, mobile: viewport.width < 500 });
      try {
        await page.goto('/public/progress');
        // a wrong name: the same answer as an unknown number
        await page.getByLabel('办件编号').fill(c.case_no);
        await page.getByLabel('申请人姓名或企业名称').fill('古丽');
        await page.getByRole('button', { name: '查 询' }).click();
        await expect.poll(async () => (await page.locator('.ant-alert-error').textContent()) ?? '', { timeout: 20_000 }).toContain('没有查到办件');
        await page.getByLabel('申请人姓名或企业名称').fill('古丽娜');
        await page.getByRole('button', { name: '查 询' }).click();
        const result = page.getByTestId('progress-result');
        await expect.poll(async () => (await result.textContent()) ?? '', { timeout: 20_000 }).toContain(item.name);
        const text = (await result.textContent()) ?? '';
        expect(text).toContain('已受理');
        expect(text).toContain('截止 2026-12-30');
        expect(page.url()).not.toContain('/login');
        expect(await fitsWidth(page)).toBe(true);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it(`lists concluded approvals with natural persons masked at ${viewport.width} px`, async () => {
      const itemName = uniq('建设工程规划许可');
      const item = await newItem(db, { regionCode: '650521', name: itemName });
      await newCase(db, item, { state: 'concluded', applicantName: '张伟强', concludedOn: chinaDate(new Date()), decision: 'approve' });
      const { context, page } = await newPage(suite!, { viewport, mobile: viewport.width < 500 });
      try {
        await page.goto('/public');
        await page.getByLabel('搜索事项、部门或企业名称').fill(itemName);
        await page.getByLabel('搜索事项、部门或企业名称').press('Enter');
        const list = page.locator(viewport.width < 500 ? '.pub-narrow-only' : '.pub-wide-only');
        await expect.poll(async () => (await list.textContent()) ?? '', { timeout: 20_000 }).toContain(itemName);
        const text = (await list.textContent()) ?? '';
        expect(text).toContain('张**');
        expect(text).not.toContain('张伟强');
        expect(await page.getByRole('link', { name: '行政处罚公示' }).getAttribute('href')).toBe('/public/penalties');
        await page.getByRole('tab', { name: '部门评价排名' }).click();
        expect(await fitsWidth(page)).toBe(true);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('shows the citizen landing on a phone with the lookup reachable without signing in', async () => {
    const { context, page } = await newPage(suite!, { viewport: { width: 390, height: 844 }, mobile: true });
    try {
      await page.goto('/citizen/services');
      await page.getByRole('link', { name: /进度查询/ }).click();
      await page.waitForURL('**/public/progress');
      await expect.poll(async () => page.getByLabel('办件编号').count(), { timeout: 20_000 }).toBe(1);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the big screen at 1920×1080 and updates it live when a case is accepted', async () => {
    const { context, page } = await newPage(suite!, { viewport: { width: 1920, height: 1080 } });
    try {
      await page.goto('/bigscreen');
      const accepted = page.getByTestId('screen-accepted');
      await expect.poll(async () => (await accepted.textContent()) ?? '—', { timeout: 20_000 }).toMatch(/^\d+$/);
      await waitForPaintedCanvas(page, '.screen-counties');
      const before = Number(await accepted.textContent());
      const item = await newItem(db, { regionCode: '650522' });
      await newCase(db, item, { state: 'accepted', acceptedOn: chinaDate(new Date()) });
      await expect.poll(async () => Number(await accepted.textContent()), { timeout: 10_000 }).toBeGreaterThanOrEqual(before + 1);
      expect(await page.locator('.screen-live').count()).toBe(1);
      expect(await page.evaluate('document.documentElement.scrollWidth <= 1920 && document.documentElement.scrollHeight <= 1080')).toBe(true);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
