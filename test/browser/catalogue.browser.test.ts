// The resource catalogue in Chromium at 1440 and 390 px: search by an abbreviation (社保), facets, the result list,
// a resource's page with its item table (share types as coloured tags), versions, 申请共享, and the demand list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { systemActorContext } from '../../src/shared/context.ts';
import { testApp } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, uniq } from '../support/factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;
let tag: string;
let code: string;

beforeAll(async () => {
  suite = await startSuite();
  const { db } = await testDb();
  const { services } = await testApp();
  const provider = await newDepartment(db, { regionCode: '650502', name: uniq('哈密市浏览器测试人社局') });
  tag = `浏览${uniq().replace(/[^0-9]/g, '').slice(-6)}`;
  const ctx = systemActorContext();
  const base = { class: 'theme' as const, providerDepartmentId: provider.id, format: 'database', openAttr: 'conditional' as const, shareModes: ['api' as const], regionItem: 'region', personItem: 'id_number' };
  const items = [
    { code: 'id_number', name: '公民身份号码', type: 'id_number' as const, isKey: true, required: true, sensitivity: 3, shareType: 'conditional' as const, legalBasis: '《个人信息保护法》第十三条' },
    { code: 'name', name: '姓名', type: 'string' as const, shareType: 'unconditional' as const, mask: 'name' as const },
    { code: 'region', name: '所在区划', type: 'region_code' as const, shareType: 'unconditional' as const },
    { code: 'remark', name: '备注', type: 'string' as const, shareType: 'none' as const, legalBasis: '内部工作信息' },
  ];
  const social = await services.catalogue.create(ctx, { ...base, name: `社会保险参保信息${tag}`, classCode: '2-01-01', theme: 'social_security', updateCycle: 'daily', summary: '企业职工养老保险参保登记和缴费状态', items });
  await services.catalogue.publish(ctx, social.code);
  const medical = await services.catalogue.create(ctx, { ...base, name: `基本医疗保险参保信息${tag}`, classCode: '2-02-01', theme: 'medical_insurance', updateCycle: 'monthly', items });
  await services.catalogue.publish(ctx, medical.code);
  code = social.code;
}, 180_000);

afterAll(async () => {
  await stopSuite(suite);
});

/** Screenshots go to $SCREENSHOT_DIR when set. */
async function shot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}

async function noOverflow(page: Page, width: number): Promise<void> {
  const scroll = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  expect(scroll).toBeLessThanOrEqual(width);
}

describe.each([
  ['desktop', { width: 1440, height: 1000 }, false],
  ['phone', { width: 390, height: 844 }, true],
] as const)('catalogue on a %s', (name, viewport, mobile) => {
  it('finds 社会保险参保信息 by 社保, filters by a facet, and opens the resource page', async () => {
    const { context, page } = await newPage(suite!, { viewport, mobile });
    try {
      await fillLogin(page, suite!.server.username, suite!.server.password);
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.goto('/catalogue');
      await page.getByTestId('catalogue-page').waitFor();
      const search = page.getByTestId('catalogue-search').locator('input');
      await search.fill(`社保${tag}`);
      await search.press('Enter');
      await expect.poll(async () => (await page.getByTestId('catalogue-page').textContent()) ?? '', { timeout: 10_000 }).toContain(`社会保险参保信息${tag}`);
      await noOverflow(page, viewport.width);
      await shot(page, `catalogue-search-${name}`);

      // both resources under the tag; the update-cycle facet narrows to one
      await search.fill(tag);
      await search.press('Enter');
      await expect.poll(async () => (await page.getByTestId('catalogue-page').textContent()) ?? '').toContain(`基本医疗保险参保信息${tag}`);
      await page.getByTestId('catalogue-facet-updateCycle').click();
      await page.locator('.ant-select-dropdown:visible').getByText(/^每月 \(1\)$/).click();
      await expect.poll(async () => (await page.getByTestId('catalogue-page').textContent()) ?? '').not.toContain(`社会保险参保信息${tag}`);
      await expect.poll(async () => (await page.getByTestId('catalogue-page').textContent()) ?? '').toContain(`基本医疗保险参保信息${tag}`);
      await noOverflow(page, viewport.width);

      await page.goto(`/catalogue/${encodeURIComponent(code)}`);
      await page.getByTestId('resource-page').waitFor();
      await expect.poll(async () => (await page.getByTestId('resource-items').textContent()) ?? '').toContain('公民身份号码');
      expect(await page.getByTestId('item-share-remark').or(page.getByTestId('resource-items').getByText('不予共享')).first().isVisible()).toBe(true);
      expect((await page.getByTestId('resource-versions').textContent()) ?? '').toContain('v2');
      expect(await page.getByTestId('resource-quality-slot').count()).toBe(1);
      await noOverflow(page, viewport.width);
      await shot(page, `catalogue-resource-${name}`);
      await page.getByTestId('resource-request').click();
      await page.waitForURL((u) => u.pathname === '/sharing/requests/new' && u.searchParams.get('resource') === code);

      await page.goto('/data-demands');
      await page.getByTestId('demands-page').waitFor();
      await noOverflow(page, viewport.width);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('catalogue editor', () => {
  it('shows the field the server refuses, then saves a new resource and opens its page', async () => {
    const { context, page } = await newPage(suite!, { viewport: { width: 1440, height: 1000 } });
    try {
      await fillLogin(page, suite!.server.username, suite!.server.password);
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.goto('/catalogue');
      await page.getByTestId('catalogue-new').click();
      await page.getByTestId('resource-editor').waitFor();
      const form = page.getByTestId('resource-form');
      const name = `编辑器资源${tag}`;
      await form.getByLabel('资源名称').fill(name);
      const item = page.getByTestId('resource-item').first();
      await item.getByLabel('代码').fill('Bad-Code');
      await item.getByLabel('名称').fill('统一社会信用代码');
      await page.getByTestId('resource-save').click();
      await expect.poll(async () => (await item.textContent()) ?? '').toContain('信息项代码须以小写字母开头');
      await item.getByLabel('代码').fill('credit_code');
      await page.getByTestId('resource-save').click();
      await page.getByTestId('resource-page').waitFor();
      await expect.poll(async () => (await page.getByTestId('resource-page').textContent()) ?? '').toContain(name);
      expect((await page.getByTestId('resource-page').textContent()) ?? '').toContain('草稿');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
