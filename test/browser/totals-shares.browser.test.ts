// Past 10,000 matching accounts the user list shows 「共 10,000+ 条」 (the server stops counting, D61), and an account
// holding no role but a share grant sees 「共享给我的数据」 in its account menu and the Users page (D62), at 1440 px and
// at 390 px. The 10,001 accounts are inserted with one INSERT … SELECT and removed afterwards.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, testApp } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser, uniq } from '../support/factories.ts';
import { newPage, pageErrors, signInByApi, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;
let leader: Awaited<ReturnType<typeof newUser>>;
let reader: Awaited<ReturnType<typeof newUser>>;
const prefix = `${uniq('many')}.`;
const purpose = uniq('低保资格核验');

beforeAll(async () => {
  suite = await startSuite();
  const { db } = await testDb();
  const { app } = await testApp();
  const crowded = await newDepartment(db, { regionCode: '650522' });
  await sql`
    INSERT INTO app_user (username, display_name, kind, department_id, region_code)
    SELECT ${prefix} || g, '批量用户' || g, 'staff', ${crowded.id}::uuid, '650522' FROM generate_series(1, 10001) AS g`.execute(db);
  leader = await newUser(db, { regionCode: '650522', grants: [{ role: 'leader', regionCode: '650522' }] });

  const owner = await newDepartment(db, { regionCode: '650502' });
  const grantee = await newDepartment(db, { regionCode: '650521' });
  reader = await newUser(db, { departmentId: grantee.id, grants: [] });
  const security = await newUser(db, { grants: [{ role: 'security_admin', regionCode: '6505' }] });
  const res = await (await login(app, security.username, security.password)).post('/api/shares', {
    resource: 'users',
    fields: ['displayName'],
    purpose,
    ownerDepartmentId: owner.id,
    granteeDepartmentId: grantee.id,
    expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
  expect(res.statusCode, res.body).toBe(201);
}, 180_000);

afterAll(async () => {
  await stopSuite(suite);
  const { db } = await testDb();
  // each deleted account is checked against every table that references app_user (65 foreign keys, each served by an
  // index since D157, so the checks no longer read tables the rest of the suite has filled) and the region tally's
  // triggers run: about 11 s for the 10,001 on PGlite
  await db.deleteFrom('app_user').where('username', 'like', `${prefix}%`).execute();
}, 180_000);

for (const viewport of [{ name: 'desktop', width: 1440, height: 1000, phone: false }, { name: 'phone', width: 390, height: 844, phone: true }]) {
  describe(`totals and shares (${viewport.name}, ${viewport.width} px)`, () => {
    it('shows 10,000+ when the server stopped counting', async () => {
      const { context, page } = await newPage(suite!, { viewport, mobile: viewport.phone });
      try {
        await signInByApi(page, leader.username, leader.password);
        await page.goto('/users');
        await expect.poll(() => page.getByTestId('pager-total').innerText()).toBe('共 10,000+ 条');
        expect(await page.getByTestId('pager').innerText()).toContain('第 1 / 500+ 页');
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('lists the shares of an account that holds no role, and opens the page they reach', async () => {
      const { context, page } = await newPage(suite!, { viewport, mobile: viewport.phone });
      try {
        await signInByApi(page, reader.username, reader.password);
        await page.goto('/');
        await page.getByTestId('current-user').click();
        await page.getByTestId('menu-shared-with-me').click();
        const drawer = page.getByTestId('shared-with-me');
        await expect.poll(() => drawer.getByTestId('shared-with-me-item').count()).toBe(1);
        const text = await drawer.getByTestId('shared-with-me-item').innerText();
        expect(text).toContain(`用途：${purpose}`);
        expect(text).toContain('共享给本部门');
        const box = await drawer.boundingBox();
        expect(box!.width).toBeLessThanOrEqual(viewport.width + 0.5); // sub-pixel layout rounding
        // the share opens users.read: the directory is reachable without any role
        await page.goto('/users');
        await page.locator('[data-testid=pager]').waitFor();
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
}
