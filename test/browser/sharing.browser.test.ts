// The sharing request wizard at 1440 px and 390 px: a department's staff member opens /sharing/requests/new with a
// resource, sees the 'none' item disabled with its legal basis, chooses items, fills purpose, basis and period,
// reviews and submits; the unconditional item is granted at once and the request waits on the provider, whose
// approvals page shows it with its deadline and lets the admin approve it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { newResource } from '../support/data-factories.ts';
import { verifyClientSecret } from '../../src/modules/sharing/index.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;

describe('sharing request wizard', () => {
  beforeAll(async () => {
    suite = await startSuite();
  }, 180_000);

  afterAll(async () => {
    await stopSuite(suite);
  });

  for (const viewport of [{ width: 1440, height: 1000 }, { width: 390, height: 844 }]) {
    it(`submits a request and the provider approves it at ${viewport.width} px`, async () => {
      const { db } = await testDb();
      const provider = await newDepartment(db, { regionCode: '650502' });
      const consumer = await newDepartment(db, { regionCode: '650502' });
      const resource = await newResource(db, { providerDepartmentId: provider.id, regionCode: '650502', name: `低保对象${viewport.width}` });
      const staff = await newUser(db, { departmentId: consumer.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
      const admin = await newUser(db, { departmentId: provider.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
      const mobile = viewport.width < 768;
      let { context, page } = await newPage(suite!, { viewport, mobile });
      try {
        await fillLogin(page, staff.username, staff.password);
        await page.waitForSelector('[data-testid=current-user]');
        await page.goto(`/sharing/requests/new?resource=${resource.code}`);
        await page.getByTestId('wizard-row-name').waitFor();
        expect(await page.getByTestId('wizard-row-note').locator('input').isDisabled()).toBe(true);
        expect(await page.getByTestId('wizard-row-note').textContent()).toContain('内部工作信息');
        await page.getByTestId('wizard-row-name').getByRole('checkbox').check();
        await page.getByTestId('wizard-row-phone').getByRole('checkbox').check();
        await page.getByTestId('wizard-next').click();
        await page.getByTestId('wizard-purpose').fill('最低生活保障资格核查');
        await page.getByTestId('wizard-legal-basis').fill('《社会救助暂行办法》第十一条');
        await page.getByTestId('wizard-next').click();
        await page.getByTestId('wizard-review').waitFor();
        expect(await page.getByTestId('wizard-review').textContent()).toContain('最低生活保障资格核查');
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/sharing-wizard-${viewport.width}.png` });
        let width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        expect(width).toBeLessThanOrEqual(viewport.width);
        await page.getByTestId('wizard-submit').click();
        await page.getByTestId('wizard-done').waitFor();
        expect(await page.getByTestId('wizard-done').textContent()).toContain('待答复');
        expect(await page.getByTestId('wizard-done').textContent()).toContain('已立即授权');
        expect(pageErrors(page)).toEqual([]);
        const request = await db.selectFrom('sharing_request').select(['id', 'status']).where('consumer_department_id', '=', consumer.id).executeTakeFirstOrThrow();
        expect(request.status).toBe('pending');
        await context.close();

        ({ context, page } = await newPage(suite!, { viewport, mobile }));
        await fillLogin(page, admin.username, admin.password);
        await page.waitForSelector('[data-testid=current-user]');
        await page.goto('/sharing/approvals');
        await page.getByTestId(`deadline-${request.id}`).waitFor();
        expect(await page.getByTestId(`deadline-${request.id}`).textContent()).toContain('工作日');
        await page.getByTestId(`request-decide-${request.id}`).click();
        await page.getByTestId('decision-ok').click();
        await page.getByText('已答复').waitFor();
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/sharing-approvals-${viewport.width}.png` });
        width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        expect(width).toBeLessThanOrEqual(viewport.width);
        expect((await db.selectFrom('sharing_request').select('status').where('id', '=', request.id).executeTakeFirstOrThrow()).status).toBe('approved');
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it(`registers a client application and shows its secret once at ${viewport.width} px`, async () => {
      const { db } = await testDb();
      const dept = await newDepartment(db, { regionCode: '650502' });
      const admin = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
      const { context, page } = await newPage(suite!, { viewport, mobile: viewport.width < 768 });
      try {
        await fillLogin(page, admin.username, admin.password);
        await page.waitForSelector('[data-testid=current-user]');
        await page.goto('/sharing/clients');
        await page.getByTestId('client-new').click();
        await page.getByTestId('client-name').fill(`民政核查系统${viewport.width}`);
        await page.getByTestId('client-save').click();
        const secret = await page.getByTestId('client-secret').inputValue();
        expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/sharing-client-secret-${viewport.width}.png` });
        const app = await db.selectFrom('client_app').select(['client_id']).where('department_id', '=', dept.id).executeTakeFirstOrThrow();
        expect(await verifyClientSecret(db, app.client_id, secret, new Date())).not.toBeNull();
        await page.keyboard.press('Escape');
        await page.getByTestId('sharing-client-table').getByText(app.client_id).waitFor();
        expect(await page.getByTestId('sharing-client-table').textContent()).not.toContain(secret);
        const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        expect(width).toBeLessThanOrEqual(viewport.width);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
