// 计量计费 in headless Chromium at 390 and 1440 px: a month of our own department's VMs metered, the allocated-versus-
// used bars painted, the chargeback table with its total, the XLSX downloaded, the tariff editor shown to a manager;
// the page fits the phone's width and throws nothing. SCREENSHOT_DIR=docs writes docs/screenshot-metering(-390).png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterHour } from '../../src/modules/metering/index.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser, TEST_PASSWORD, uniq } from '../support/factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, waitForPaintedCanvas, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;

beforeAll(async () => {
  suite = await startSuite();
}, 180_000);

afterAll(async () => {
  await stopSuite(suite);
});

describe('计量计费 (Chromium)', () => {
  it('shows this month’s usage bars and chargeback, exports the XLSX, at 390 and 1440 px', async () => {
    const { db } = await testDb();
    const dept = await newDepartment(db, { regionCode: '650502', name: uniq('哈密市伊州区数据局') });
    const region = await db.selectFrom('region').select('path').where('code', '=', '650502').executeTakeFirstOrThrow();
    const zone = uniq('bz');
    await db.insertInto('cloud_zone').values({ code: zone, name: '政务外网区', open_to_all: true }).execute();
    const system = await db
      .insertInto('cloud_business_system')
      .values({ department_id: dept.id, region_code: '650502', region_path: region.path, code: uniq('bs'), name: '政务服务网上大厅' })
      .returning('id')
      .executeTakeFirstOrThrow();
    // this Beijing month's first hours (the VMs existed before them)
    const monthStart = new Date(Date.parse(`${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7)}-01T00:00:00Z`) - 8 * 3_600_000);
    const ids: string[] = [];
    for (const [vcpus, memory, state] of [
      [4, 8192, 'running'],
      [2, 4096, 'stopped'],
    ] as const) {
      const name = uniq('bvm');
      const row = await db
        .insertInto('cloud_vm')
        .values({ domain_name: `gc-${name}`, name, department_id: dept.id, region_code: '650502', region_path: region.path, business_system_id: system.id, vcpus, memory_mb: memory, disk_gb: 100, zone_code: zone, state, created_at: new Date(monthStart.getTime() - 86_400_000) })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    // what a hypervisor would have told for the running VM: a third of its vCPUs busy, 5,000 MB in use
    for (let h = 0; h < 3; h++) await meterHour(db, new Date(monthStart.getTime() + h * 3_600_000), [{ vmId: ids[0]!, cpu: 0.3 + h * 0.05, memoryMb: 5000 }]);
    const admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
    for (const [viewport, mobile] of [
      [{ width: 390, height: 844 }, true],
      [{ width: 1440, height: 900 }, false],
    ] as const) {
      const { context, page } = await newPage(suite!, { viewport, mobile });
      try {
        await fillLogin(page, admin.username, TEST_PASSWORD);
        await page.waitForURL((u) => !u.pathname.startsWith('/login'));
        await page.goto('/metering');
        await waitForPaintedCanvas(page, '[data-testid="metering-chart"]');
        const table = page.getByTestId('metering-chargeback');
        await expect.poll(async () => (await table.textContent()) ?? '').toContain(dept.name);
        await expect.poll(async () => (await table.textContent()) ?? '').toContain('政务服务网上大厅');
        await expect.poll(async () => (await page.getByTestId('metering-tariff').textContent()) ?? '').toContain('调整资费');
        const download = page.waitForEvent('download');
        await page.getByTestId('metering-export').click();
        expect((await download).suggestedFilename()).toMatch(/^chargeback-\d{4}-\d{2}\.xlsx$/);
        expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
        expect(pageErrors(page)).toEqual([]);
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/screenshot-metering${mobile ? '-390' : ''}.png`, fullPage: !mobile });
      } finally {
        await context.close();
      }
    }
  }, 180_000);
});
