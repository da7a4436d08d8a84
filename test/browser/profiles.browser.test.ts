// 居民画像 at 390 px and 1440 px: a community worker opens a resident's profile (ID number, labels, household, a granted
// source with its freshness tag, a no-grant card with 申请共享), adds a label; the page fits the phone's width.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { newClientApp, newDataGrant, newResource, newRows } from '../support/data-factories.ts';
import { COMMUNITY_A, newHousehold, newResident } from '../support/community-factories.ts';
import { fillLogin, newPage, pickOption, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;

describe('resident profile page', () => {
  beforeAll(async () => {
    suite = await startSuite();
  }, 180_000);

  afterAll(async () => {
    await stopSuite(suite);
  });

  for (const viewport of [{ width: 390, height: 844 }, { width: 1440, height: 1000 }]) {
    it(`shows the profile and adds a label at ${viewport.width} px`, async () => {
      const { db } = await testDb();
      const provider = await newDepartment(db, { regionCode: '6505' });
      const consumer = await newDepartment(db, { regionCode: '6505' });
      const client = await newClientApp(db, { departmentId: consumer.id });
      const granted = await newResource(db, { providerDepartmentId: provider.id, name: `人口基础信息${Date.now()}` });
      const ungranted = await newResource(db, { providerDepartmentId: provider.id, name: `党员基本信息${Date.now()}` });
      await db.updateTable('data_resource').set({ status: 'published' }).where('id', 'in', [granted.id, ungranted.id]).execute();
      await newDataGrant(db, { resource: granted, consumerDepartmentId: consumer.id, clientAppId: client.id, items: ['id_number', 'name', 'region'] });
      await db
        .insertInto('profile_consumer')
        .values({ department_id: consumer.id, client_app_id: client.id, purpose: '浏览器测试' })
        .onConflict((oc) => oc.column('id').doUpdateSet({ department_id: consumer.id, client_app_id: client.id }))
        .execute();
      const household = await newHousehold(db, { communityCode: COMMUNITY_A });
      const resident = await newResident(db, { communityCode: COMMUNITY_A, householdId: household.id, relation: 'head', birthDate: '1948-06-01' });
      await newResident(db, { communityCode: COMMUNITY_A, householdId: household.id, relation: 'spouse' });
      await newRows(db, granted, [{ id_number: resident.id_number, name: resident.name, region: '650502' }]);
      const worker = await newUser(db, { grants: [{ role: 'community_worker', regionCode: COMMUNITY_A }] });

      const { context, page } = await newPage(suite!, { viewport, mobile: viewport.width < 768 });
      try {
        await fillLogin(page, worker.username, worker.password);
        await page.waitForSelector('[data-testid=current-user]');
        await page.goto(`/community/residents/${resident.id}`);
        await expect.poll(() => page.getByTestId('profile-name').textContent()).toBe(resident.name);
        // a community worker holds community.read_sensitive (D63): the full ID number
        expect(await page.getByTestId('profile-id').textContent()).toContain(resident.id_number);
        const cards = page.getByTestId('profile-source');
        await expect.poll(() => cards.count()).toBeGreaterThanOrEqual(2);
        expect(await page.getByTestId('freshness').first().textContent()).toMatch(/数据新鲜|数据过期/);
        expect(await page.getByTestId('apply').count()).toBeGreaterThanOrEqual(1);
        expect(await page.locator('.profile-members .ant-table-row').count()).toBe(2);

        await page.getByTestId('add-label').click();
        await pickOption(page, page.getByTestId('label-select'), '独居老人', '');
        await page.locator('.ant-modal textarea').fill('子女在外地');
        await page.locator('.ant-modal .ant-btn-primary').click();
        await expect
          .poll(() => page.getByTestId('profile-labels').textContent(), { timeout: 20_000 })
          .toContain('独居老人')
          .catch(async (err: unknown) => {
            // say what the page showed instead: the dialog still open (its field errors) or the server's message
            const dialog = await page.locator('.ant-modal:visible').allTextContents();
            const messages = await page.locator('.ant-message, .ant-notification').allTextContents();
            throw new Error(`the label did not appear; dialog: ${JSON.stringify(dialog)}; messages: ${JSON.stringify(messages)}`, { cause: err });
          });
        expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
        await db.deleteFrom('community_resident_label').where('resident_id', '=', resident.id).execute();
      }
    }, 120_000);
  }
});
