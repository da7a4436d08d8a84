// 外网拓扑 in headless Chromium at 1440 and 390 px: the demo's topology drawn (vertical line, rings), a single point
// of failure chosen from the list shows the departments its failure cuts off, coverage per county, a probe run on
// loopback; the page fits the phone's width and throws nothing. Saves docs/screenshot-extranet.png at 1440 px.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extranetModule, type ExtranetService } from '../../src/modules/extranet/index.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { createServices } from '../../src/services.ts';
import { testConfig } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newDepartment } from '../support/factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, waitForPaintedCanvas, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;

beforeAll(async () => {
  suite = await startSuite();
  const { db } = await testDb();
  // departments at the prefecture, in each county and in townships, so the demo has something to connect
  const townships = await db.selectFrom('region').select('code').where('level', '=', 3).where('path', 'like', '/6505/%').orderBy('code').execute();
  const regions = ['6505', '6505', '6505', '650502', '650521', '650522', ...townships.filter((_, i) => i % 4 === 0).map((t) => t.code)];
  for (const regionCode of regions) await newDepartment(db, { regionCode });
  const config = testConfig();
  const service = (createServices(db, config) as unknown as { extranet: ExtranetService }).extranet;
  const port = Number(new URL(suite.server.url).port);
  await extranetModule.demo!({ db, config: { ...config, port }, clock: systemClock, services: {}, service }, { prefecture: '6505' });
}, 300_000);

afterAll(async () => {
  await stopSuite(suite);
});

describe('外网拓扑 (Chromium)', () => {
  for (const [viewport, mobile] of [
    [{ width: 1440, height: 1000 }, false],
    [{ width: 390, height: 844 }, true],
  ] as const) {
    it(`draws the topology, shows a single-link failure and coverage at ${viewport.width} px`, async () => {
      const { context, page } = await newPage(suite!, { viewport, mobile });
      try {
        await fillLogin(page, suite!.server.username, suite!.server.password);
        await page.waitForURL((u) => !u.pathname.startsWith('/login'));
        await page.goto('/extranet');
        await waitForPaintedCanvas(page, '[data-testid="extranet-diagram"]');
        const coverage = page.getByTestId('extranet-coverage');
        await expect.poll(async () => (await coverage.textContent()) ?? '').toContain('伊州区');
        expect(await coverage.textContent()).toContain('合计');
        // the probe of the core on loopback (the server's own port) answers; other tests of the shared database may have
        // enabled probes of their own nodes (loopback too), so the count is at least one, not exactly one
        await page.getByRole('button', { name: /立即探测/ }).click();
        await expect.poll(async () => (await page.locator('body').textContent()) ?? '').toMatch(/已探测 [1-9]\d* 个节点/);
        // the single point of failure cutting most departments off, from the list
        const bridges = page.getByTestId('extranet-bridges');
        await bridges.locator('tbody tr.ant-table-row').first().click();
        const failure = page.getByTestId('extranet-failure');
        await expect.poll(async () => (await failure.textContent()) ?? '').toMatch(/中断后 \d+ 个节点、\d+ 个部门失去与核心的连通/);
        await page.getByTestId('extranet-show-access').click();
        await waitForPaintedCanvas(page, '[data-testid="extranet-diagram"]');
        if (viewport.width === 1440) {
          await page.getByTestId('extranet-show-access').click();
          await page.waitForTimeout(300);
          await page.screenshot({ path: path.resolve('docs/screenshot-extranet.png'), fullPage: true });
        }
        expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 180_000);
  }
});
