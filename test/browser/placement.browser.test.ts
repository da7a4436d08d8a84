// 资源调度 in Chromium at 390 and 1440 px: a department's staff see the hosts their VMs run on as cards with stacked
// bars, tick a host to fail and see where its VMs would restart and which cannot (in red). The page's routes are
// exported by web/src/modules/cloud/placement/routes.tsx and mounted by the cloud console module at merge: until that
// module lists them, this file has nothing to open and skips.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { newPool, newVm, type Pool } from '../support/placement-factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

const cloudModule = path.resolve(import.meta.dirname, '../../web/src/modules/cloud/module.tsx');
const mounted = fs.existsSync(cloudModule) && fs.readFileSync(cloudModule, 'utf8').includes('placementRoutes');

let suite: BrowserSuite | undefined;
let staff: { username: string; password: string };
let pool: Pool;

beforeAll(async () => {
  if (!mounted) return;
  suite = await startSuite();
  const { db } = await testDb();
  const dept = await newDepartment(db, { regionCode: '650502' });
  staff = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  pool = await newPool(db, { regionCode: '650502', hosts: 2, cores: 8 });
  await newVm(db, { departmentId: dept.id, hostId: pool.hosts[0]!.id, zone: pool.zone, vcpus: 6, name: '不动产登记系统' });
  await newVm(db, { departmentId: dept.id, hostId: pool.hosts[1]!.id, zone: pool.zone, vcpus: 4, name: '政务服务网' });
}, 180_000);

afterAll(() => stopSuite(suite));

describe.skipIf(!mounted)('placement view (Chromium)', () => {
  for (const [width, mobile] of [
    [390, true],
    [1440, false],
  ] as const) {
    it(`shows the hosts and a failure that strands a VM, in red, at ${width} px`, async () => {
      const { context, page } = await newPage(suite!, { viewport: { width, height: 900 }, mobile });
      try {
        await fillLogin(page, staff.username, staff.password);
        await page.waitForURL((u) => !u.pathname.startsWith('/login'));
        await page.goto('/cloud/placement');
        await page.getByTestId(`placement-fail-${pool.hosts[0]!.code}`).waitFor();
        expect(await page.getByTestId('placement-host').count()).toBe(2);
        await page.getByTestId(`placement-fail-${pool.hosts[0]!.code}`).click();
        await page.getByTestId('placement-simulate').click();
        const result = page.getByTestId('placement-result');
        await result.waitFor();
        // 6 vCPUs do not fit beside the 4 on the other 8-vCPU host
        expect(await result.textContent()).toContain('不动产登记系统');
        expect(await page.getByTestId('placement-stranded').first().textContent()).toContain('剩余容量不足');
        expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120_000);
  }
});
