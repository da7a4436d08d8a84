// The hypervisor page in Chromium at 1440 and 390 px: a VM provisioned on libvirt's test driver whose domain is then
// undefined behind the platform's back shows as 运行中 → 失联 after 立即核对, and the host's connection check reports
// the test hypervisor. Real server, real virsh; skipped loudly only where virsh is not installed.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, virshInstalled } from '../../src/modules/hypervisor/index.ts';
import type { Services } from '../../src/services.ts';
import { testApp } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { cloudFixture, placedVm, testHypervisorService, vmRow } from '../support/hypervisor-factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

const installed = await virshInstalled();
if (!installed) console.warn('SKIPPED: virsh is not installed (Debian: apt-get install libvirt-clients) — the hypervisor page test does not run here.');

let suite: BrowserSuite | undefined;
let services: Services;

beforeAll(async () => {
  if (!installed) return;
  suite = await startSuite();
  ({ services } = await testApp());
}, 180_000);

afterAll(async () => {
  await stopSuite(suite);
});

async function noOverflow(page: Page, width: number): Promise<void> {
  // on failure, name the elements that reach past the viewport, so a layout fault seen only in CI can be found
  const wide = (await page.evaluate(`[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > ${width} + 0.5)
    .slice(0, 8).map((e) => e.tagName + '.' + String(e.className).slice(0, 60) + ' ' + Math.round(e.getBoundingClientRect().right))`)) as string[];
  expect((await page.evaluate('document.documentElement.scrollWidth')) as number, wide.join(' | ')).toBeLessThanOrEqual(width);
}

describe.skipIf(!installed).each([
  ['desktop', { width: 1440, height: 1000 }, false],
  ['phone', { width: 390, height: 844 }, true],
] as const)('hypervisor page on a %s', (_name, viewport, mobile) => {
  it('reconciles on demand, showing a domain deleted behind our back as missing, and checks the host', async () => {
    const { db } = await testDb();
    const f = await cloudFixture(db, 'test:///default');
    const host = await db.selectFrom('cloud_host').select('code').where('id', '=', f.hostId).executeTakeFirstOrThrow();
    const vm = await placedVm(db, f);
    const hv = testHypervisorService(db, services);
    expect((await hv.handle({ vmId: vm.id, action: 'provision' }, `browser:${randomUUID()}`)).state).toBe('running');
    await connect('test:///default').undefine(vm.domainName);

    const { context, page } = await newPage(suite!, { viewport, mobile });
    try {
      await fillLogin(page, suite!.server.username, suite!.server.password);
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.goto('/cloud/hypervisor');
      await page.getByTestId('hypervisor-page').waitFor();
      await page.getByTestId('hypervisor-reconcile').click();
      await expect.poll(async () => (await page.locator('.ant-table-tbody').textContent()) ?? '', { timeout: 20_000 }).toContain(`${vm.domainName}：运行中 → 失联`);
      expect((await vmRow(db, vm.id)).state).toBe('missing');
      await page.getByTestId(`hypervisor-check-${host.code}`).click();
      await expect.poll(async () => (await page.getByTestId(`hypervisor-check-result-${host.code}`).textContent()) ?? '', { timeout: 20_000 }).toMatch(/TEST .*台虚拟机/);
      await noOverflow(page, viewport.width);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
      await hv.handle({ vmId: vm.id, action: 'decommission' }, `browser:${randomUUID()}`);
    }
  });
});
