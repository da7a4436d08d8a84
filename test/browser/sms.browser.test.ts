// The SMS page in Chromium at 1440 and 390 px: a message sent through the service (outbox → SMPP → the in-process
// SMS centre) shows in the demo inbox and in the history with its status counted; a template saved from the form;
// a send from the form queued. Real server, real SMPP server on loopback, the real outbox worker.
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import type { App } from '../../src/http/types.ts';
import type { Services } from '../../src/services.ts';
import type { JobWorker } from '../../src/modules/jobs/index.ts';
import { outboxJobHandlers } from '../../src/modules/jobs/outbox.ts';
import { DELIVER_TOPIC, LocalSmsc, SmppGateway } from '../../src/modules/sms/index.ts';
import { testConfig } from '../support/app.ts';
import { testDb } from '../support/db.ts';
import { newUser } from '../support/factories.ts';
import { fillLogin, newPage, pageErrors, type BrowserSuite } from './browser.ts';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './browser.ts';

let app: App;
let services: Services;
let smsc: LocalSmsc;
let gateway: SmppGateway;
let worker: JobWorker;
let suite: BrowserSuite;
let admin: { username: string; password: string };

beforeAll(async () => {
  const { db } = await testDb();
  ({ app, services } = await buildApp({ db, config: testConfig(), serveWeb: true }));
  smsc = await LocalSmsc.start();
  gateway = new SmppGateway({ host: '127.0.0.1', port: smsc.port, systemId: 'govcloud', password: 'x', sourceAddr: '10690000' });
  services.sms.attach(gateway, smsc);
  worker = services.jobs.createWorker({ handlers: outboxJobHandlers({ [DELIVER_TOPIC]: (m) => services.sms.deliver((m.payload as { id: string }).id) }), pollMs: 100 }).start();
  admin = await newUser(db, { grants: [{ role: 'platform_admin', regionCode: '6505' }] });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  suite = { server: { url, username: admin.username, password: admin.password, close: () => app.close() }, browser };
}, 180_000);

afterAll(async () => {
  await suite?.browser.close();
  await worker?.stop();
  await app?.close();
  await gateway?.close();
  await smsc?.close();
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
] as const)('SMS page on a %s', (name, viewport, mobile) => {
  it('shows what a number received, the history with counts, and saves a template', async () => {
    const { db } = await testDb();
    const to = `135${String(randomInt(0, 1e8)).padStart(8, '0')}`;
    await db.transaction().execute((trx) => services.sms.send(trx, { to, text: `【政务云】您的办件已受理 ${to}`, purpose: 'test.browser', urgent: true }));
    await smsc.next(to, 10_000);
    const { context, page } = await newPage(suite, { viewport, mobile });
    try {
      await fillLogin(page, admin.username, admin.password);
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.goto('/sms');
      await page.getByTestId('sms-page').waitFor();
      await expect.poll(async () => (await page.getByTestId('sms-count-delivered').textContent()) ?? '', { timeout: 10_000 }).toMatch(/已送达 \d+/);
      await page.getByPlaceholder('按手机号筛选').fill(to);
      await page.getByPlaceholder('按手机号筛选').press('Enter');
      await expect.poll(async () => (await page.locator('.ant-table-tbody').textContent()) ?? '').toContain(`已受理 ${to}`);
      await noOverflow(page, viewport.width);
      await shot(page, `sms-history-${name}`);

      await page.getByRole('tab', { name: '演示收件箱' }).click();
      await expect.poll(async () => (await page.getByTestId('sms-inbox').textContent()) ?? '').toContain(`【政务云】您的办件已受理 ${to}`);
      await noOverflow(page, viewport.width);
      await shot(page, `sms-inbox-${name}`);

      await page.getByRole('tab', { name: '短信模板' }).click();
      await page.getByRole('button', { name: '新建模板' }).click();
      const code = `b.${mobile ? 'phone' : 'desk'}${randomInt(0, 1e6)}`;
      const form = page.getByTestId('sms-template-form');
      await form.getByLabel('模板编码').fill(code);
      await form.getByLabel('名称').fill('办结通知');
      await form.getByLabel('模板内容').fill('【政务云】{name}，您的{item}已办结。');
      await page.getByRole('button', { name: '保 存' }).or(page.getByRole('button', { name: '保存' })).click();
      await expect.poll(async () => (await page.locator('.ant-table-tbody').textContent()) ?? '').toContain(code);
      expect((await db.selectFrom('sms_template').select('variables').where('code', '=', code).executeTakeFirstOrThrow()).variables).toEqual(['name', 'item']);
      await noOverflow(page, viewport.width);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
