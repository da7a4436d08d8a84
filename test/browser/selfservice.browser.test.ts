// Self-service at 1440 px and 390 px: department staff request a VM on the form (quota left shown beside it), the
// department administrator approves it from the approval queue, the platform approves it from the request's page, and
// the request is provisioning with its VM placed on a host of the zone (no hypervisor in the tests' pool: the VM stays
// `provisioning` here; the hypervisor module moves it on). Each page fits the screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newCloudDepartment, newCloudWorld } from '../support/cloud-factories.ts';
import { testDb } from '../support/db.ts';
import { newUser, uniq } from '../support/factories.ts';
import { fillLogin, pickOption, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;

async function pick(page: Page, testId: string, text: string): Promise<void> {
  await pickOption(page, page.getByTestId(testId), text);
}

/** Polls `probe` until it gives a value (or `ms` pass: then the last answer, null). */
async function until<T>(probe: () => Promise<T | null>, ms: number): Promise<T | null> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function fits(page: Page, width: number): Promise<void> {
  expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(width);
}

describe('self-service', () => {
  beforeAll(async () => {
    suite = await startSuite();
  }, 180_000);

  afterAll(async () => {
    await stopSuite(suite);
  });

  for (const viewport of [{ width: 1440, height: 1000 }, { width: 390, height: 844 }]) {
    it(`a VM request goes through both approvals to provisioning at ${viewport.width} px`, async () => {
      const { db } = await testDb();
      const world = await newCloudWorld(db, { hosts: 1 });
      const dept = await newCloudDepartment(db, { vcpus: 16, memoryMb: 65536, diskGb: 1000, vms: 5 });
      const [staff, admin, operator] = await Promise.all([
        newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] }),
        newUser(db, { departmentId: dept.id, grants: [{ role: 'department_admin', regionCode: '650502' }] }),
        newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] }),
      ]);
      const flavour = await db.selectFrom('cloud_flavour').select('name').where('code', '=', world.large).executeTakeFirstOrThrow();
      const image = await db.selectFrom('cloud_image').select('name').where('code', '=', world.image).executeTakeFirstOrThrow();
      const zone = await db.selectFrom('cloud_zone').select('name').where('code', '=', world.zone).executeTakeFirstOrThrow();
      const name = `政务服务网${uniq()}`;
      const mobile = viewport.width < 768;
      const as = async (user: { username: string; password: string }, work: (page: Page) => Promise<void>) => {
        const { context, page } = await newPage(suite!, { viewport, mobile });
        try {
          await fillLogin(page, user.username, user.password);
          await page.waitForSelector('[data-testid=current-user]');
          await work(page);
          expect(pageErrors(page)).toEqual([]);
        } finally {
          await context.close();
        }
      };

      await as(staff, async (page) => {
        await page.goto('/cloud/requests/new');
        await page.getByTestId('selfservice-quota').getByText('16 / 16').waitFor();
        await page.getByTestId('selfservice-name').fill(name);
        await pick(page, 'selfservice-flavour', flavour.name);
        await pick(page, 'selfservice-image', image.name);
        await pick(page, 'selfservice-zone', zone.name);
        await page.getByTestId('selfservice-system').click();
        await page.locator('.ant-select-item-option').filter({ hasText: dept.code }).first().click();
        await page.getByTestId('selfservice-reason').fill('政务服务网扩容上线');
        await fits(page, viewport.width);
        await page.getByTestId('selfservice-submit').click();
        await page.getByTestId('selfservice-timeline').waitFor();
        await page.getByTestId('selfservice-state').getByText('待部门审批').waitFor();
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/selfservice-request-${viewport.width}.png`, fullPage: true });
        await fits(page, viewport.width);
      });
      const request = await db.selectFrom('cloud_vm_request').select(['id', 'request_no']).where('department_id', '=', dept.id).executeTakeFirstOrThrow();

      await as(admin, async (page) => {
        await page.goto(`/cloud/approvals?request=${request.id}`);
        await page.getByTestId(`selfservice-approve-${request.request_no}`).click();
        await page.getByTestId('selfservice-note').fill('同意');
        await page.getByRole('button', { name: /OK|确\s*定/ }).click();
        await page.getByTestId(`selfservice-approve-${request.request_no}`).waitFor({ state: 'detached' });
        await fits(page, viewport.width);
      });
      expect((await db.selectFrom('cloud_vm_request').select('state').where('id', '=', request.id).executeTakeFirstOrThrow()).state).toBe('pending_platform');

      await as(operator, async (page) => {
        await page.goto(`/cloud/requests/${request.id}`);
        await page.getByTestId('selfservice-approve').click();
        await page.getByRole('button', { name: /OK|确\s*定/ }).click();
        // the decision is taken on the server first (a loaded CI machine may take a while); a refusal shows why
        const settled = await until(async () => {
          const r = await db.selectFrom('cloud_vm_request').select(['state', 'failure']).where('id', '=', request.id).executeTakeFirstOrThrow();
          return r.state === 'pending_platform' ? null : r;
        }, 60_000);
        expect(settled).toEqual({ state: 'provisioning', failure: '' });
        await page.getByTestId('selfservice-state').getByText('开通中').waitFor();
        await page.getByTestId('selfservice-vm-state').getByText('开通中').waitFor();
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/selfservice-provisioning-${viewport.width}.png`, fullPage: true });
        await fits(page, viewport.width);
      });
      const vm = await db.selectFrom('cloud_vm').select(['state', 'host_id']).where('department_id', '=', dept.id).executeTakeFirstOrThrow();
      expect(vm).toEqual({ state: 'provisioning', host_id: world.hostIds[0] });
    }, 240_000);
  }
});
