// 数据订阅 at 1440 px and at 390 px: create a webhook subscription (the signing secret shown once), test-deliver it to
// a receiver the test starts, pause it; the list shows status and lag.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../support/db.ts';
import { newDepartment } from '../support/factories.ts';
import { newClientApp, newDataGrant, newResource, newRows } from '../support/data-factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;
let receiver: Server;
let hookUrl = '';
let received = 0;

describe('feeds page', () => {
  beforeAll(async () => {
    suite = await startSuite();
    receiver = createServer((req, res) => {
      received += 1;
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  }, 180_000);

  afterAll(async () => {
    await stopSuite(suite);
    await new Promise((resolve) => receiver.close(resolve));
  });

  for (const viewport of [{ width: 1440, height: 1000 }, { width: 390, height: 844 }]) {
    it(`creates, tests and pauses a webhook subscription at ${viewport.width} px`, async () => {
      const { db } = await testDb();
      const resource = await newResource(db, { regionCode: '650502' });
      await newRows(db, resource, [{ id_number: '650502199001011234', name: '张三', phone: '13800000000', region: '650502' }]);
      const consumer = await newDepartment(db, { regionCode: '650502' });
      const client = await newClientApp(db, { departmentId: consumer.id });
      await newDataGrant(db, { resource, consumerDepartmentId: consumer.id, clientAppId: client.id, items: ['name', 'region'] });
      const { context, page } = await newPage(suite!, { viewport, mobile: viewport.width < 768 });
      try {
        await fillLogin(page, suite!.server.username, suite!.server.password);
        await page.waitForSelector('[data-testid=current-user]');
        await page.goto('/feeds');
        await page.getByTestId('feed-create').click();
        await page.locator('#feed-grant').fill(resource.code);
        await page.locator(`.ant-select-item-option[title*="${resource.code}"]`).waitFor();
        await page.locator('#feed-grant').press('Enter');
        await page.locator('#feed-client').fill(client.clientId);
        await page.locator(`.ant-select-item-option[title*="${client.clientId}"]`).waitFor();
        await page.locator('#feed-client').press('Enter');
        await page.locator('#feed-mode-webhook').check();
        await page.locator('#feed-url').fill(hookUrl);
        await page.locator('#feed-create-ok').click();
        const secret = page.getByTestId('feed-secret');
        await secret.waitFor();
        expect(await secret.textContent()).toMatch(/whsec_/);
        await page.getByRole('button', { name: '关闭' }).click();
        const row = await db.selectFrom('feed_subscription').select('id').where('client_app_id', '=', client.id).executeTakeFirstOrThrow();
        await page.getByTestId(`feed-status-${row.id}`).waitFor();
        expect(await page.getByTestId('feed-table').textContent()).toContain('1 条');
        const before = received;
        await page.getByTestId(`feed-test-${row.id}`).click();
        await page.getByText('测试推送成功').waitFor();
        expect(received).toBe(before + 1);
        await page.getByTestId(`feed-pause-${row.id}`).click();
        await page.getByTestId(`feed-resume-${row.id}`).waitFor();
        expect(await page.getByTestId(`feed-status-${row.id}`).textContent()).toBe('已暂停');
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/feeds-${viewport.width}.png` });
        const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        expect(width).toBeLessThanOrEqual(viewport.width);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
