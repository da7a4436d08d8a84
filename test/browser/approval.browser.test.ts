// Administrative approval at 1440 px and 390 px: a counter clerk registers a case on the workbench, opens it, uploads
// the required materials, accepts it (the statutory clock appears as working days left), and the page fits the screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newItem } from '../support/approval-factories.ts';
import { makeIdNumber } from '../support/community-factories.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('approval', () => {
  beforeAll(async () => {
    suite = await startSuite();
  }, 180_000);

  afterAll(async () => {
    await stopSuite(suite);
  });

  for (const viewport of [{ width: 1440, height: 1000 }, { width: 390, height: 844 }]) {
    it(`a clerk registers, supplies materials and accepts a case at ${viewport.width} px`, async () => {
      const { db } = await testDb();
      const dept = await newDepartment(db, { regionCode: '650502' });
      const item = await newItem(db, { departmentId: dept.id, name: `食品经营许可证核发${viewport.width}`, materials: [{ name: '食品经营许可申请书', mimeTypes: ['application/pdf'] }] });
      const clerk = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
      const mobile = viewport.width < 768;
      const { context, page } = await newPage(suite!, { viewport, mobile });
      try {
        await fillLogin(page, clerk.username, clerk.password);
        await page.waitForSelector('[data-testid=current-user]');
        await page.goto('/approval/cases');
        await page.getByTestId('approval-register').click();
        await page.getByTestId('approval-register-item').click();
        await page.getByText(`食品经营许可证核发${viewport.width}`).last().click();
        await page.getByTestId('approval-register-name').fill('阿依古丽·买买提');
        await page.getByTestId('approval-register-id').fill(makeIdNumber('1988-03-15', 'F'));
        await page.getByRole('button', { name: /OK|确\s*定/ }).click();
        const created = await db.selectFrom('approval_case').select(['id', 'case_no']).where('item_id', '=', item.id).executeTakeFirst();
        await page.getByTestId(`approval-case-${created?.case_no ?? 'none'}`).or(page.getByText(/已登记/)).first().waitFor();
        const row = await db.selectFrom('approval_case').select(['id', 'case_no']).where('item_id', '=', item.id).executeTakeFirstOrThrow();
        let width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        expect(width).toBeLessThanOrEqual(viewport.width);
        await page.goto(`/approval/cases/${row.id}`);
        await page.getByTestId('approval-action-accept').waitFor();
        const chooser = page.waitForEvent('filechooser');
        await page.getByTestId('approval-upload-1').click();
        await (await chooser).setFiles({ name: '申请书.pdf', mimeType: 'application/pdf', buffer: PDF });
        await page.getByText('申请书.pdf').waitFor();
        await page.getByTestId('approval-action-accept').click();
        await page.getByText(/剩余 \d+ 个工作日/).first().waitFor();
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/approval-case-${viewport.width}.png`, fullPage: true });
        width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        expect(width).toBeLessThanOrEqual(viewport.width);
        expect((await db.selectFrom('approval_case').select('state').where('id', '=', row.id).executeTakeFirstOrThrow()).state).toBe('accepted');
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120_000);
  }
});
