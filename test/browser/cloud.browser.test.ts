// The cloud console at 1440 px and 390 px over the real demo (7 hosts, 101 legacy rooms, ~60 systems): the overview's
// host chart paints and lists the pool, a VM's drawer shows its ledger, the consolidation report shows the saving and
// its assumptions. No sideways scrolling, no page errors. Screenshots: docs/screenshot-cloud.png (1440) and
// docs/screenshot-cloud-390.png when SCREENSHOT_DIR is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, testConfig } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newUser, uniq } from '../support/factories.ts';
import { cloudModule, type CloudService } from '../../src/modules/cloud/index.ts';
import { LEGACY_ROOM_DEPARTMENTS } from '../../src/modules/cloud/demo-data.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { planDepartments } from '../../src/seed/catalog.ts';
import { systemActorContext } from '../../src/shared/context.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, waitForPaintedCanvas, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;
let admin: { username: string; password: string };

describe('cloud console', () => {
  beforeAll(async () => {
    suite = await startSuite();
    const { db } = await testDb();
    const { services } = await testApp();
    const prefix = uniq('B').slice(0, 6);
    const names = new Map(planDepartments({ prefecture: { code: '6505', name: '哈密市' }, counties: [], townships: [] }).map((d) => [d.code.slice(5), d.name]));
    await services.departments.createMany(systemActorContext(), LEGACY_ROOM_DEPARTMENTS.map((k) => ({ code: `${prefix}-${k}`, name: names.get(k) ?? `哈密市${k}`, kind: 'government', regionCode: '6505' })));
    await cloudModule.demo!({ db, config: testConfig(), clock: systemClock, services: services as unknown as Record<string, unknown>, service: services.cloud as CloudService }, { prefecture: prefix });
    admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
  }, 240_000);

  afterAll(async () => {
    await stopSuite(suite);
  });

  for (const viewport of [{ width: 1440, height: 1000 }, { width: 390, height: 844 }]) {
    it(`shows the pool, a VM's ledger and the consolidation report at ${viewport.width} px`, { timeout: 120_000 }, async () => {
      const mobile = viewport.width < 768;
      const { context, page } = await newPage(suite!, { viewport, mobile });
      const fits = async () => expect((await page.evaluate('document.documentElement.scrollWidth')) as number).toBeLessThanOrEqual(viewport.width);
      try {
        await fillLogin(page, admin.username, admin.password);
        await page.waitForSelector('[data-testid=current-user]');
        await page.goto('/cloud/overview');
        await page.getByTestId('cloud-overview').waitFor();
        await page.getByText('计算节点 07').first().waitFor();
        await waitForPaintedCanvas(page, '[data-testid=cloud-host-chart]');
        await page.getByText('FC SAN 存储池 A（双控，主）').first().waitFor();
        await page.getByText('政务云数据中心').first().waitFor();
        await fits();
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/cloud-overview-${viewport.width}.png`, fullPage: true });

        await page.goto('/cloud/vms');
        await page.getByTestId('cloud-vms').waitFor();
        await page.getByPlaceholder('名称或编码').fill('一体化政务服务平台');
        await page.getByPlaceholder('名称或编码').press('Enter');
        await page.getByText('一体化政务服务平台-应用 1').first().click();
        await page.getByTestId('cloud-vm-detail').getByText(/provision · succeeded → running/).waitFor();
        await fits();
        await page.keyboard.press('Escape');

        await page.goto('/cloud/consolidation');
        await page.getByTestId('cloud-consolidation').waitFor();
        await waitForPaintedCanvas(page, '[data-testid=cloud-consolidation-chart]');
        await page.getByText('pue_legacy').first().waitFor();
        await fits();
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/cloud-consolidation-${viewport.width}.png`, fullPage: true });
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
