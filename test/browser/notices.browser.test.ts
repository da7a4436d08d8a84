// 定向通知 in Chromium at 390 and 1440 px: a community worker composes a notice to the elderly of their community
// (live preview with counts and masked recipients), sends it, and sees its detail with the counts per status.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../support/db.ts';
import { newUser } from '../support/factories.ts';
import { COMMUNITY_A, newResident } from '../support/community-factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;
let worker: { username: string; password: string };
let label: string;

beforeAll(async () => {
  suite = await startSuite();
  const { db } = await testDb();
  worker = await newUser(db, { regionCode: COMMUNITY_A, grants: [{ role: 'community_worker', regionCode: COMMUNITY_A }] });
  label = `nb${randomInt(0, 1e9)}`;
  await db.insertInto('community_label').values({ code: label, name: label, visit_interval_days: null }).execute();
  for (let i = 0; i < 3; i++) {
    const r = await newResident(db, { communityCode: COMMUNITY_A, birthDate: `194${i}-05-01`, phone: i === 2 ? null : `139${String(randomInt(0, 1e8)).padStart(8, '0')}` });
    await db.insertInto('community_resident_label').values({ resident_id: r.id, label_code: label, added_by: null }).execute();
  }
}, 180_000);

afterAll(() => stopSuite(suite));

const fitsWidth = (page: import('playwright-core').Page) => page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;

describe('targeted notices (Chromium)', () => {
  for (const [width, mobile] of [
    [390, true],
    [1440, false],
  ] as const) {
    it(`composes, previews and sends a notice at ${width} px`, async () => {
      const { context, page } = await newPage(suite!, { viewport: { width, height: 900 }, mobile });
      try {
        await fillLogin(page, worker.username, worker.password);
        await page.waitForURL((u) => !u.pathname.startsWith('/login'));
        await page.goto('/notices');
        await page.getByTestId('notices-page').waitFor();
        await page.getByRole('tab', { name: '新建通知' }).click();
        const composer = page.getByTestId('notice-composer');
        await composer.waitFor();
        await composer.getByLabel('通知标题').fill(`体检通知 ${width}`);
        await composer.getByLabel('人群标签').fill(label);
        await composer.getByLabel('人群标签').press('Enter');
        await composer.getByLabel('通知内容').fill('{姓名}{称呼}您好，请于{时间}到社区体检。');
        await composer.getByLabel('时间').fill('12月5日');
        const preview = page.getByTestId('notice-preview');
        await expect.poll(async () => preview.textContent(), { timeout: 20_000 }).toContain('前 3 位接收人');
        expect(await preview.textContent()).toMatch(/接收人\s*3/);
        expect(await fitsWidth(page)).toBe(true);
        await page.getByTestId('notice-send').click();
        await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
        await page.getByTestId('notice-detail').waitFor();
        await expect.poll(async () => page.getByTestId('notice-count-recipients').textContent()).toContain('3');
        expect(await fitsWidth(page)).toBe(true);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120_000);
  }
});
