// The cloud console's editing parts in Chromium at 1440 and 390 px (issue 10): the flavour and image catalogue (a
// delete refused while a VM uses the flavour, in the catalogue's Chinese words, the row kept; an unused image deleted
// after the confirmation, its row gone); a machine room added through its form (a duplicate code refused on the code
// field) and edited; the placement policy's reserveShortfall shown with its explanation and changed; a resize request
// growing a VM's disk (a smaller size refused on the field before sending); the metering page's used storage of a sparse
// volume in MiB-hours, not 0. No page scrolls sideways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { meterHour } from '../../src/modules/metering/usage.ts';
import { newCloudDepartment, newCloudWorld, newVm } from '../support/cloud-factories.ts';
import { testDb } from '../support/db.ts';
import { newUser, uniq } from '../support/factories.ts';
import { newPage, pageErrors, pickOption, signInByApi, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;
let db: Awaited<ReturnType<typeof testDb>>['db'];
const WAIT = { timeout: 30_000, interval: 200 };

beforeAll(async () => {
  suite = await startSuite();
  ({ db } = await testDb());
}, 180_000);

afterAll(() => stopSuite(suite));

async function fits(page: Page): Promise<void> {
  const wide = (await page.evaluate(`[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map((e) => e.tagName + '.' + e.className).join(' | ')`)) as string;
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), wide).toBe(true);
}

// the sign-in form is login.browser.test.ts's subject: here one request signs the context in, and each test's first
// page.goto is its only load of the console
async function signedIn(width: number, username: string, password: string) {
  const { context, page } = await newPage(suite!, { viewport: { width, height: width < 768 ? 844 : 1000 }, mobile: width < 768 });
  await signInByApi(page, username, password);
  return { context, page };
}

const bodyText = async (page: Page) => (await page.locator('body').textContent()) ?? '';

describe('cloud console (Chromium)', () => {
  for (const width of [1440, 390]) {
    it(`deletes flavours and images from the catalogue, refused while in use, at ${width} px`, async () => {
      const world = await newCloudWorld(db, { hosts: 1 });
      const dept = await newCloudDepartment(db, { vcpus: 16, memoryMb: 65536, diskGb: 1000, vms: 5 });
      const vm = await newVm(db, { departmentId: dept.id, hostId: world.hostIds[0]!, zone: world.zone });
      await db.updateTable('cloud_vm').set({ flavour_code: world.small, image_code: world.image }).where('id', '=', vm.id).execute();
      // an image nothing uses
      const spare = uniq('img');
      await db.insertInto('cloud_image').values({ code: spare, name: `备用镜像${spare}`, os: 'openEuler 22.03', min_disk_gb: 20 }).execute();
      const { context, page } = await signedIn(width, suite!.server.username, suite!.server.password);
      try {
        await page.goto('/cloud/catalogue');
        await page.getByTestId(`catalogue-delete-flavour-${world.small}`).waitFor();
        await fits(page);
        // in use: the confirmation, then the catalogue's message; the row stays
        await page.getByTestId(`catalogue-delete-flavour-${world.small}`).click();
        await expect.poll(async () => (await page.locator('.ant-popconfirm').textContent()) ?? '', WAIT).toContain('删除“');
        await page.locator('.ant-popconfirm .ant-popconfirm-buttons .ant-btn-primary').click();
        await expect.poll(async () => (await page.locator('.ant-message').textContent()) ?? '', WAIT).toContain('仍有虚拟机或未完成的申请在使用，不能删除');
        expect(await page.getByTestId(`catalogue-delete-flavour-${world.small}`).count()).toBe(1);
        expect(await db.selectFrom('cloud_flavour').select('deleted_at').where('code', '=', world.small).executeTakeFirstOrThrow()).toEqual({ deleted_at: null });
        // unused: deleted, the row gone (the first confirmation has closed first: with a long catalogue its fade-out can
        // still be on screen when the second opens, so the second is found by the image's name)
        await expect.poll(() => page.locator('.ant-popconfirm:visible').count(), WAIT).toBe(0);
        await page.getByTestId(`catalogue-delete-image-${spare}`).click();
        await page.locator('.ant-popconfirm:visible').filter({ hasText: `备用镜像${spare}` }).locator('.ant-popconfirm-buttons .ant-btn-primary').click();
        await expect.poll(() => page.getByTestId(`catalogue-delete-image-${spare}`).count(), WAIT).toBe(0);
        expect((await db.selectFrom('cloud_image').select('deleted_at').where('code', '=', spare).executeTakeFirstOrThrow()).deleted_at).not.toBeNull();
        await fits(page);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 180_000);

    it(`adds and edits a machine room through its form, the server's refusal on its field, at ${width} px`, async () => {
      const dept = await newCloudDepartment(db, { vcpus: 16, memoryMb: 65536, diskGb: 1000, vms: 5 });
      const taken = uniq('room');
      await db.insertInto('cloud_room').values({ code: taken, name: '已有机房', kind: 'legacy_community', region_code: '650502', region_path: (await db.selectFrom('region').select('path').where('code', '=', '650502').executeTakeFirstOrThrow()).path }).execute();
      const code = uniq('room');
      const name = `测试部门机房${code}`;
      const { context, page } = await signedIn(width, suite!.server.username, suite!.server.password);
      try {
        await page.goto('/cloud/overview');
        await page.getByTestId('cloud-room-add').click();
        const form = page.getByTestId('cloud-room-form');
        await form.waitFor();
        // client rules first: nothing filled
        await page.locator('#cloud-room-form-ok').click();
        await expect.poll(async () => (await form.textContent()) ?? '', WAIT).toContain('必填');
        await form.getByLabel('编码').fill(taken);
        await pickOption(page, form.getByLabel('部门'), dept.name);
        await form.getByLabel('名称').fill(name);
        await form.getByLabel('地址').fill('哈密市伊州区测试路 1 号');
        await page.locator('#cloud-room-form-ok').click();
        // the duplicate code: the server's problem on the code field
        await expect.poll(async () => (await form.locator('.ant-form-item-has-error').textContent()) ?? '', WAIT).toContain('编码');
        await form.getByLabel('编码').fill(code);
        await page.locator('#cloud-room-form-ok').click();
        await expect.poll(() => form.count(), WAIT).toBe(0);
        const row = await db.selectFrom('cloud_room').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
        expect(row).toMatchObject({ name, kind: 'legacy_department', department_id: dept.id, status: 'active' });
        // found and edited: renamed and retired
        await page.getByTestId('cloud-room-search').locator('input').fill(code);
        await page.getByTestId('cloud-room-search').locator('input').press('Enter');
        await page.getByTestId(`cloud-room-edit-${code}`).click();
        await form.waitFor();
        await form.getByLabel('名称').fill(`${name}（已撤并）`);
        await pickOption(page, form.getByLabel('状态'), '已撤并', '');
        await page.locator('#cloud-room-form-ok').click();
        await expect.poll(() => form.count(), WAIT).toBe(0);
        await expect.poll(async () => (await db.selectFrom('cloud_room').select(['name', 'status', 'retired_on']).where('code', '=', code).executeTakeFirstOrThrow()).status, WAIT).toBe('retired');
        await expect.poll(() => bodyText(page), WAIT).toContain(`${name}（已撤并）`);
        await fits(page);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 180_000);

    it(`shows and changes what placement does when the reserve cannot be kept, at ${width} px`, async () => {
      const before = await db.selectFrom('cloud_placement_policy').selectAll().executeTakeFirstOrThrow();
      const { context, page } = await signedIn(width, suite!.server.username, suite!.server.password);
      try {
        await page.goto('/cloud/placement');
        const explain = page.getByTestId('placement-shortfall-explain');
        await explain.waitFor();
        const other = before.reserve_shortfall === 'place' ? 'refuse' : 'place';
        expect(await explain.textContent()).toContain(before.reserve_shortfall === 'place' ? '仍会放置' : '拒绝放置');
        await pickOption(page, page.getByTestId('placement-shortfall'), other === 'refuse' ? '拒绝放置' : '仍放置并标记', '');
        expect(await explain.textContent()).toContain(other === 'refuse' ? '配额自动退回' : '未保留冗余');
        await fits(page);
        await page.getByTestId('placement-save').click();
        await expect.poll(async () => (await db.selectFrom('cloud_placement_policy').select('reserve_shortfall').executeTakeFirstOrThrow()).reserve_shortfall, WAIT).toBe(other);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        // the pool's policy is shared with the other tests of the run: put it back at once
        await db.updateTable('cloud_placement_policy').set({ reserve_shortfall: before.reserve_shortfall }).execute();
        await context.close();
      }
    }, 180_000);

    it(`asks for a larger disk in a resize request, a smaller one refused on the field, at ${width} px`, async () => {
      const world = await newCloudWorld(db, { hosts: 1 });
      const dept = await newCloudDepartment(db, { vcpus: 16, memoryMb: 65536, diskGb: 1000, vms: 5 });
      const staff = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
      const vm = await newVm(db, { departmentId: dept.id, hostId: world.hostIds[0]!, zone: world.zone, systemId: dept.systemId, vcpus: 1, memoryMb: 1024 });
      await db.updateTable('cloud_vm').set({ flavour_code: world.small, image_code: world.image, storage_pool_id: world.poolId }).where('id', '=', vm.id).execute();
      const request = await db
        .insertInto('cloud_vm_request')
        .values({ request_no: uniq('CRT'), kind: 'create', department_id: dept.id, region_code: '650502', region_path: dept.regionPath, requested_by: staff.id, vm_id: vm.id, name: '测试主机', business_system_id: dept.systemId, flavour_code: world.small, image_code: world.image, vcpus: 1, memory_mb: 1024, disk_gb: 50, zone_code: world.zone, reason: '上线', state: 'done' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { context, page } = await signedIn(width, staff.username, staff.password);
      try {
        await page.goto(`/cloud/requests/${request.id}`);
        await page.getByRole('button', { name: /变更规格/ }).first().click();
        const disk = page.getByTestId('selfservice-resize-disk');
        await disk.waitFor();
        expect(await disk.inputValue()).toBe('50');
        await disk.fill('30');
        await page.locator('.ant-modal:visible .ant-btn-primary').click();
        await expect.poll(async () => (await page.locator('.ant-modal:visible .ant-form-item-has-error').filter({ hasText: '磁盘容量' }).textContent()) ?? '', WAIT).toContain('不能小于当前的 50 GB');
        expect(await db.selectFrom('cloud_vm_request').select('id').where('vm_id', '=', vm.id).execute()).toHaveLength(1);
        await fits(page);
        await disk.fill('120');
        await page.locator('.ant-modal:visible textarea').fill('数据量增长');
        await page.locator('.ant-modal:visible .ant-btn-primary').click();
        await page.waitForURL((u) => u.pathname.startsWith('/cloud/requests/') && !u.pathname.endsWith(request.id));
        const made = await db.selectFrom('cloud_vm_request').select(['kind', 'disk_gb', 'vcpus', 'state']).where('vm_id', '=', vm.id).where('kind', '=', 'resize').executeTakeFirstOrThrow();
        expect(made).toMatchObject({ kind: 'resize', disk_gb: 120, vcpus: 1 });
        await expect.poll(() => bodyText(page), WAIT).toContain('120 GB');
        await fits(page);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 180_000);

    it(`shows a sparse volume's used storage in MiB-hours on the metering page, at ${width} px`, async () => {
      const world = await newCloudWorld(db, { hosts: 1 });
      const dept = await newCloudDepartment(db, { vcpus: 16, memoryMb: 65536, diskGb: 1000, vms: 5 });
      const vm = await newVm(db, { departmentId: dept.id, hostId: world.hostIds[0]!, zone: world.zone, vcpus: 1, memoryMb: 1024 });
      // an hour of this month before now, with the volume's 200 KiB on the host
      const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000);
      await db.updateTable('cloud_vm').set({ created_at: new Date(hour.getTime() - 3_600_000) }).where('id', '=', vm.id).execute();
      await meterHour(db, hour, [{ vmId: vm.id, cpu: null, memoryMb: null, diskUsedMb: 0.1953125 }]);
      const { context, page } = await signedIn(width, suite!.server.username, suite!.server.password);
      try {
        await page.goto('/metering');
        const row = page.locator('tr').filter({ hasText: dept.name });
        await row.first().waitFor();
        expect(await row.first().getByTestId('metering-storage-used').textContent()).toBe('0.195 MiB·h');
        await fits(page);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 180_000);
  }
});
