// The user directory on access v2 at 1440 px: a row reached through a share grant shows only its fields with the
// 共享 marker (absent fields as —, no actions); a department admin's role picker offers what /api/auth/me's
// grantableRoles says, and its row actions are the row's abilities; the security administrator revokes the grant.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, testApp } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser, uniq } from '../support/factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;
let owner: { id: string };
let shared: Awaited<ReturnType<typeof newUser>>;
let reader: Awaited<ReturnType<typeof newUser>>;
let deptAdmin: Awaited<ReturnType<typeof newUser>>;
const sharedName = uniq('核验对象');
// unique per run: other tests grant shares with purposes of their own in the same shared database
const purpose = uniq('社保资格核验');

/** Waits for exactly one matching row; on failure prints what the page showed instead (CI has seen 0 on PostgreSQL). */
async function oneRow(page: Page, row: Locator): Promise<void> {
  try {
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
  } catch (error) {
    console.log(`users page at ${page.url()}:\n${await page.locator('body').innerText().catch(() => '(unreadable)')}`);
    throw error;
  }
}

describe('user directory (Chromium, 1440 px)', () => {
  beforeAll(async () => {
    suite = await startSuite();
    const { db } = await testDb();
    const { app } = await testApp();
    owner = await newDepartment(db, { regionCode: '650502' });
    const grantee = await newDepartment(db, { regionCode: '650521' });
    shared = await newUser(db, { departmentId: owner.id, phone: '13911112222', displayName: sharedName, grants: [{ role: 'department_staff', regionCode: '650502' }] });
    reader = await newUser(db, { departmentId: grantee.id, grants: [{ role: 'department_staff', regionCode: '650521' }] });
    deptAdmin = await newUser(db, { departmentId: owner.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
    const security = await newUser(db, { grants: [{ role: 'security_admin', regionCode: '6505' }] });
    const client = await login(app, security.username, security.password);
    const res = await client.post('/api/shares', {
      resource: 'users',
      fields: ['displayName', 'phone'],
      purpose,
      ownerDepartmentId: owner.id,
      granteeDepartmentId: grantee.id,
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(res.statusCode, res.body).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await stopSuite(suite);
  });

  it('shows a shared row with its fields only, marked 共享, without actions', async () => {
    const { context, page } = await newPage(suite!);
    try {
      await fillLogin(page, reader.username, reader.password);
      await page.waitForSelector('[data-testid=current-user]');
      // searched by name: the run's shared database may hold more of the owner's users than one page
      await page.goto(`/users?q=${encodeURIComponent(sharedName)}`);
      const row = page.locator('[data-testid=user-table] tbody tr.ant-table-row', { hasText: sharedName });
      await oneRow(page, row);
      const text = await row.innerText();
      expect(text).toContain('共享');
      expect(text).toContain('13911112222'); // a field the grant names goes out unmasked
      expect(text).not.toContain(shared.username); // the user name is not shared
      expect(text).toContain('—');
      expect(await page.locator('[data-testid=user-table] th', { hasText: '操作' }).count()).toBe(0);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it("offers a department admin the roles the server says it may grant, and the row's abilities", async () => {
    const { context, page } = await newPage(suite!);
    try {
      await fillLogin(page, deptAdmin.username, deptAdmin.password);
      await page.waitForSelector('[data-testid=current-user]');
      await page.goto(`/users?q=${encodeURIComponent(shared.username)}`);
      const row = page.locator('[data-testid=user-table] tbody tr.ant-table-row', { hasText: shared.username });
      await oneRow(page, row);
      expect(await row.innerText()).toContain('编辑');
      expect(await row.innerText()).not.toContain('共享');
      await page.getByTestId(`user-actions-${shared.username}`).click();
      const menu = page.locator('.ant-dropdown:not(.ant-dropdown-hidden) .ant-dropdown-menu-item');
      await expect.poll(() => menu.allInnerTexts()).toEqual(['重置密码', '角色授权', '停用']);
      await page.keyboard.press('Escape');
      await page.getByTestId('user-create').click();
      const form = page.getByTestId('user-create-form');
      await form.waitFor();
      await form.locator('.grant-rows .ant-select').first().click();
      const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
      await expect.poll(() => options.allInnerTexts()).toEqual(['部门工作人员', '社区网格员']);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('lists the share grant for the security administrator and revokes it where the row allows', async () => {
    const { context, page } = await newPage(suite!);
    try {
      await fillLogin(page, suite!.server.username, suite!.server.password);
      await page.waitForSelector('[data-testid=current-user]');
      await page.goto('/shares');
      const row = page.locator('[data-testid=share-table] tbody tr.ant-table-row', { hasText: purpose });
      await oneRow(page, row);
      expect(await row.innerText()).toContain('有效');
      await row.getByRole('button', { name: '撤销' }).click();
      await page.locator('.ant-popconfirm .ant-popconfirm-buttons .ant-btn-primary').click();
      // revoked grants leave the "active only" list at once
      await expect.poll(() => row.count()).toBe(0);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
