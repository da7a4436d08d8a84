// A grid worker on a phone (390×844): signs in, records a visit to a resident due for one (with a photo from the
// camera input) and reports an incident; both land in the database once, and no page scrolls sideways.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { COMMUNITY_A, newGrid, newResident } from '../support/community-factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

const PHONE = { width: 390, height: 844 };
let suite: BrowserSuite | undefined;
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(256, 3)]);

async function expectNoPageOverflow(page: Page, where: string): Promise<void> {
  const doc = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  expect(doc, `${where}: the page is ${doc}px wide`).toBeLessThanOrEqual(PHONE.width);
}

describe('grid work on a phone (390×844)', () => {
  beforeAll(async () => {
    suite = await startSuite();
  }, 180_000);

  afterAll(async () => {
    await stopSuite(suite);
  });

  it('records a visit with a photo and reports an incident', async () => {
    const { db } = await testDb();
    const committee = await newDepartment(db, { regionCode: COMMUNITY_A, kind: 'mass_org' });
    const worker = await newUser(db, { departmentId: committee.id, grants: [{ role: 'community_worker', regionCode: COMMUNITY_A }] });
    const grid = await newGrid(db, { communityCode: COMMUNITY_A });
    await db.insertInto('community_grid_worker').values({ grid_id: grid.id, user_id: worker.id }).execute();
    const resident = await newResident(db, { communityCode: COMMUNITY_A, gridId: grid.id });
    await db.insertInto('community_resident_label').values({ resident_id: resident.id, label_code: 'elderly_alone', added_by: null }).execute();

    const { context, page } = await newPage(suite!, { viewport: PHONE, mobile: true });
    try {
      await fillLogin(page, worker.username, worker.password);
      await page.waitForSelector('[data-testid=current-user]');

      await page.goto('/gridwork/visits');
      await page.locator(`[data-testid=visit-record-${resident.id}]`).click();
      await page.getByTestId('visit-notes').fill('老人身体状况良好，已叮嘱冬季用电安全。');
      await page.getByTestId('photo-input').setInputFiles({ name: 'visit.jpg', mimeType: 'image/jpeg', buffer: JPEG });
      await expectNoPageOverflow(page, 'visit form');
      await page.getByTestId('visit-submit').click();
      await page.locator('[data-testid=visit-row]', { hasText: resident.name }).first().waitFor();
      await expectNoPageOverflow(page, 'visits');
      await expect.poll(async () => (await db.selectFrom('gridwork_visit').select('id').where('resident_id', '=', resident.id).execute()).length, { timeout: 20_000 }).toBe(1);
      const visits = await db.selectFrom('gridwork_visit').select('id').where('resident_id', '=', resident.id).execute();
      expect(visits).toHaveLength(1);
      await expect.poll(async () => (await db.selectFrom('file_record').select('id').where('owner_id', '=', visits[0]!.id).execute()).length).toBe(1);

      await page.goto('/gridwork/incidents');
      await page.getByTestId('incident-new').click();
      await page.getByTestId('incident-category').click();
      await page.locator('.ant-select-item-option', { hasText: '安全隐患' }).click();
      const description = `楼道堆放杂物 ${resident.name}`;
      await page.getByTestId('incident-description').fill(description);
      await page.getByTestId('incident-address').fill('1 号楼 2 单元');
      await page.getByTestId('photo-input').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: JPEG });
      await expectNoPageOverflow(page, 'incident form');
      await page.getByTestId('incident-submit').click();
      // (other tests' incidents share the list and may be 已上报 too: wait for this one, in the database)
      await expect.poll(async () => (await db.selectFrom('gridwork_incident').select('id').where('description', '=', description).execute()).length, { timeout: 20_000 }).toBe(1);
      await page.locator('[data-testid=incident-row]', { hasText: '已上报' }).first().waitFor();
      await expectNoPageOverflow(page, 'incidents');
      const incidents = await db.selectFrom('gridwork_incident').select(['id', 'status']).where('description', '=', description).execute();
      expect(incidents).toEqual([{ id: incidents[0]!.id, status: 'reported' }]);
      await expect.poll(async () => (await db.selectFrom('file_record').select('id').where('owner_id', '=', incidents[0]!.id).execute()).length).toBe(1);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
