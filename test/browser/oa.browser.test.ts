// The OA at 1440 px and 390 px: a department sends a document to another (through the API); a recipient opens 收文,
// sees it unsigned, opens it and signs; the sender's document page shows the receipt table with the signature.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser } from '../support/factories.ts';
import { fillLogin, newPage, pageErrors, startSuite, stopSuite, type BrowserSuite } from './browser.ts';

let suite: BrowserSuite | undefined;

/** Signs in on the suite's server and returns a JSON POST with the session cookie and CSRF token. */
async function apiAs(username: string, password: string) {
  const base = suite!.server.url;
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async (path: string, body: unknown = {}) => {
    const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify(body) });
    return { status: r.status, json: (await r.json()) as { id: string } };
  };
}

describe('oa', () => {
  beforeAll(async () => {
    suite = await startSuite();
  }, 180_000);

  afterAll(async () => {
    await stopSuite(suite);
  });

  for (const viewport of [{ width: 1440, height: 1000 }, { width: 390, height: 844 }]) {
    it(`a recipient signs for a document and the sender sees it at ${viewport.width} px`, async () => {
      const { db } = await testDb();
      const senderDept = await newDepartment(db, { regionCode: '650502' });
      const recipientDept = await newDepartment(db, { regionCode: '650502' });
      const sender = await newUser(db, { departmentId: senderDept.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
      const recipient = await newUser(db, { departmentId: recipientDept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
      const post = await apiAs(sender.username, sender.password);
      const doc = (await post('/api/oa/documents', { kind: 'official', number: `哈政办发〔2026〕${viewport.width}号`, title: `关于浏览器测试的通知${viewport.width}`, body: '<p>请签收。</p>', recipients: { departments: [{ id: recipientDept.id, withSubDepartments: false }] } })).json;
      expect((await post(`/api/oa/documents/${doc.id}/send`)).status).toBe(200);
      const mobile = viewport.width < 768;
      let { context, page } = await newPage(suite!, { viewport, mobile });
      try {
        await fillLogin(page, recipient.username, recipient.password);
        await page.waitForSelector('[data-testid=current-user]');
        await page.goto('/oa/received');
        await page.getByText(`关于浏览器测试的通知${viewport.width}`).first().waitFor();
        let width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        expect(width).toBeLessThanOrEqual(viewport.width);
        await page.goto(`/oa/received/${doc.id}`);
        await page.getByTestId('oa-body').waitFor();
        expect(await page.getByTestId('oa-body').textContent()).toContain('请签收');
        await page.getByTestId('oa-sign').click();
        await page.getByTestId('oa-document').getByText('已签收').waitFor();
        if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/oa-document-${viewport.width}.png` });
        width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        expect(width).toBeLessThanOrEqual(viewport.width);
        expect(pageErrors(page)).toEqual([]);
        await context.close();

        ({ context, page } = await newPage(suite!, { viewport, mobile }));
        await fillLogin(page, sender.username, sender.password);
        await page.waitForSelector('[data-testid=current-user]');
        await page.goto(`/oa/sent/${doc.id}`);
        await page.getByTestId('oa-receipt-departments').waitFor();
        expect(await page.getByTestId('oa-receipt-departments').textContent()).toContain(recipientDept.name);
        width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        expect(width).toBeLessThanOrEqual(viewport.width);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120_000);
  }
});
