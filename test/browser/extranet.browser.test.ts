// 外网拓扑 in headless Chromium at 1440 and 390 px: the demo's topology drawn (vertical line, rings), a single point
// of failure chosen from the list shows the departments its failure cuts off, coverage per county, a probe run on
// loopback; the page fits the phone's width and throws nothing. Saves docs/screenshot-extranet.png at 1440 px.
// Editing (both widths): a node added through its form (a duplicate code first, refused on the code field), a
// department connected to it reaches the core — and the coverage counts it — once a link is added through the UI; the
// probe switched on through its dialog (a URL refused on the host field) and off again; the link deleted after a
// confirmation, and the coverage back where it was.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extranetModule, type ExtranetService } from '../../src/modules/extranet/index.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { createServices } from '../../src/services.ts';
import { testConfig } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, uniq } from '../support/factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, waitForPaintedCanvas, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;
/** Polls that wait on the server (a form's request, the reloads after it). */
const WAIT = { timeout: 30_000, interval: 200 };
let db: Awaited<ReturnType<typeof testDb>>['db'];

beforeAll(async () => {
  suite = await startSuite();
  ({ db } = await testDb());
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

    it(`adds a node and a link, sets a probe and deletes the link through the forms at ${viewport.width} px`, async () => {
      const { context, page } = await newPage(suite!, { viewport, mobile });
      try {
        await fillLogin(page, suite!.server.username, suite!.server.password);
        await page.waitForURL((u) => !u.pathname.startsWith('/login'));
        await page.goto('/extranet');
        const nodes = page.getByTestId('extranet-nodes');
        const links = page.getByTestId('extranet-links');
        const coverage = page.getByTestId('extranet-coverage');
        await expect.poll(async () => (await coverage.textContent()) ?? '', WAIT).toContain('伊吾县');
        type Form = ReturnType<typeof page.getByTestId>;
        const item = (form: Form, label: string) => form.locator('.ant-form-item').filter({ has: page.getByLabel(label, { exact: true }) });
        const fieldError = (form: Form, label: string) => item(form, label).locator('.ant-form-item-explain-error');
        /** Picks an option of a (tree) select; a click that lands while the list still renders is tried again. */
        const choose = async (form: Form, label: string, search: string, option: string, tree = false) => {
          for (let attempt = 0; attempt < 4 && !((await item(form, label).textContent()) ?? '').includes(option); attempt++) {
            const input = form.getByLabel(label, { exact: true });
            await input.click();
            // fill replaces what an earlier attempt typed (and opens the list again if that click closed it)
            if (search) await input.fill(search);
            const list = page.locator('.ant-select-dropdown:visible');
            const target = tree ? list.locator('.ant-select-tree-title').getByText(option, { exact: true }) : list.locator('.ant-select-item-option', { hasText: option });
            await target.first().click({ timeout: 10_000 }).catch(() => undefined);
            await page.waitForTimeout(300);
          }
          expect(await item(form, label).textContent()).toContain(option);
        };

        // a node: the demo core's code is taken, which the server says on the code field; then a code of its own
        const code = uniq('UI-');
        const name = `界面测试接入${code.slice(-6)}`;
        await nodes.getByRole('button', { name: /新增节点/ }).click();
        const nodeForm = page.getByTestId('extranet-node-form');
        await nodeForm.getByLabel('编码').fill('6505-CORE');
        await nodeForm.getByLabel('名称').fill(name);
        await choose(nodeForm, '行政区划', '', '哈密市', true);
        expect(await page.evaluate('document.querySelector(".ant-modal").getBoundingClientRect().right <= window.innerWidth')).toBe(true);
        await page.locator('#extranet-node-form-ok').click();
        await expect.poll(async () => (await fieldError(nodeForm, '编码').textContent().catch(() => '')) ?? '', WAIT).toContain('节点编码已存在');
        await nodeForm.getByLabel('编码').fill(code);
        await page.locator('#extranet-node-form-ok').click();
        await nodeForm.waitFor({ state: 'detached' });
        await nodes.getByLabel('按名称或编码筛选').fill(code);
        await expect.poll(async () => (await nodes.locator('tbody tr.ant-table-row').allTextContents()).join('|'), WAIT).toContain(name);

        // a department of 伊吾县 connected to the new node: connected, but not reaching the core until a link exists
        const node = await db.selectFrom('extranet_node').select('id').where('code', '=', code).executeTakeFirstOrThrow();
        const dept = await newDepartment(db, { regionCode: '650522' });
        const region = await db.selectFrom('region').select('path').where('code', '=', '650522').executeTakeFirstOrThrow();
        await db.insertInto('extranet_connection').values({ department_id: dept.id, node_id: node.id, bandwidth_mbps: 100, connected_on: '2026-01-05', region_code: '650522', region_path: region.path }).execute();
        await page.reload();
        const reaching = async () => Number((await coverage.locator('tbody tr', { hasText: '伊吾县' }).locator('td').nth(3).textContent()) ?? 'NaN');
        await expect.poll(reaching, WAIT).toBeGreaterThanOrEqual(0);
        const before = await reaching();

        // a link from the new node to 伊吾县's hub, through the form
        await links.getByRole('button', { name: /新增链路/ }).click();
        const linkForm = page.getByTestId('extranet-link-form');
        await choose(linkForm, 'A 端节点', code, code);
        await choose(linkForm, 'B 端节点', '伊吾县县级汇聚', '伊吾县县级汇聚节点');
        await page.locator('#extranet-link-form-ok').click();
        await linkForm.waitFor({ state: 'detached' });
        await links.getByLabel('按名称或编码筛选').fill(code);
        await expect.poll(async () => (await links.locator('tbody tr.ant-table-row').allTextContents()).join('|'), WAIT).toContain(`${name} — 伊吾县县级汇聚节点`);
        await expect.poll(reaching, WAIT).toBe(before + 1);

        // the probe: switched on without an address asks for one; a URL is refused on the host field
        await nodes.getByLabel('按名称或编码筛选').fill(code);
        await nodes.getByRole('switch', { name: `启用探测 ${name}` }).click();
        const probeForm = page.getByTestId('extranet-probe-form');
        await probeForm.getByLabel('探测地址').fill('http://127.0.0.1');
        await probeForm.getByLabel('探测端口（TCP）').fill(new URL(suite!.server.url).port);
        await page.locator('#extranet-probe-form-ok').click();
        await expect.poll(async () => (await fieldError(probeForm, '探测地址').textContent().catch(() => '')) ?? '', WAIT).toContain('探测地址须为 IP 地址或主机名');
        await probeForm.getByLabel('探测地址').fill('127.0.0.1');
        await page.locator('#extranet-probe-form-ok').click();
        await probeForm.waitFor({ state: 'detached' });
        await expect.poll(() => nodes.getByRole('switch', { name: `启用探测 ${name}` }).getAttribute('aria-checked'), WAIT).toBe('true');
        await nodes.getByRole('switch', { name: `启用探测 ${name}` }).click();
        await expect.poll(() => nodes.getByRole('switch', { name: `启用探测 ${name}` }).getAttribute('aria-checked'), WAIT).toBe('false');

        // the link deleted after a confirmation: the department no longer reaches the core
        await links.getByRole('button', { name: `删除 ${name} — 伊吾县县级汇聚节点` }).click();
        await expect.poll(async () => (await page.locator('.ant-popconfirm').textContent()) ?? '', WAIT).toContain('删除链路');
        await page.locator('.ant-popconfirm .ant-popconfirm-buttons .ant-btn-primary').click();
        await expect.poll(async () => await links.locator('tbody tr.ant-table-row').count(), WAIT).toBe(0);
        await expect.poll(reaching, WAIT).toBe(before);
        expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 180_000);
  }
});
