// The citizen portal's 在线申办 in headless Chromium: at 390 px a citizen finds an item, is sent to sign in and back,
// applies with a PDF (a wrong file type refused in the page, a file the server refuses shown with the server's
// message, a double click and a retry making one case), follows it in 我的办件 with both clocks in words, and after
// the counter asks for 补正 uploads the material and resubmits. At 1440 px a department administrator creates an
// item with two materials and a step limit in the console's editor; promised > statutory shows the server's message
// on the promised-limit field.
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Caller, CITIZEN_PASSWORD, citizenApp, registerCitizen, type CitizenApp } from '../../src/modules/citizens/test-helpers.ts';
import { login } from '../support/app.ts';
import { newCase, newItem } from '../support/approval-factories.ts';
import { testDb } from '../support/db.ts';
import { newDepartment, newUser, uniq } from '../support/factories.ts';
import { CHROMIUM, fillLogin, pickOption } from './browser.ts';

let browser: Browser | undefined;
let suite: CitizenApp | undefined;
let url: string;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function openPage(viewport: { width: number; height: number }) {
  const context = await browser!.newContext({ baseURL: url, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...(viewport.width < 500 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { page, errors, close: () => context.close() };
}

const fitsWidth = (page: Page) => page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;

describe('citizen apply (Chromium)', () => {
  beforeAll(async () => {
    expect(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing`).toBe(true);
    suite = await citizenApp({ serveWeb: true });
    url = await suite.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await suite?.close();
  });

  it('applies at 390 px: sign-in and back, file checks, one case for a double click and a retry, 补正 and resubmit', async () => {
    const { db } = await testDb();
    const dept = await newDepartment(db, { regionCode: '650502', name: `哈密市伊州区医疗保障局${uniq()}` });
    const itemName = `城乡居民医保参保登记${uniq()}`;
    const item = await newItem(db, {
      departmentId: dept.id,
      name: itemName,
      statutoryDays: 20,
      promisedDays: 5,
      materials: [
        { name: '参保登记表', mimeTypes: ['application/pdf'], maxBytes: 1024 * 1024 },
        { name: '户口簿照片', required: false, mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 2 * 1024 * 1024 },
      ],
    });
    const citizen = new Caller(suite!.app);
    const { phone, profile } = await registerCitizen(citizen, suite!.smsc, { name: '热依拉·买买提' });
    const clerk = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });

    const { page, errors, close } = await openPage({ width: 390, height: 844 });
    try {
      // the landing → the catalogue → the item (no sign-in needed to read it)
      await page.goto('/citizen/services');
      await page.getByText('在线申办').click();
      await page.getByTestId('ap-item-search').locator('input').fill(itemName);
      await page.getByTestId('ap-item-search').locator('input').press('Enter');
      await page.getByTestId('ap-item').filter({ hasText: itemName }).click();
      await page.getByTestId('ap-item-detail').waitFor();
      expect(await page.getByTestId('ap-item-statutory').textContent()).toBe('20 个工作日');
      expect(await page.getByTestId('ap-item-promised').textContent()).toBe('5 个工作日');
      expect(await page.getByTestId('ap-item-fee').textContent()).toBe('不收费');
      expect(await fitsWidth(page)).toBe(true);

      // 在线申请 without a session: to the sign-in page and back to the form
      await page.getByTestId('ap-apply').click();
      await page.waitForURL(/\/citizen\?next=/);
      await page.getByLabel('手机号或身份证号').fill(phone);
      await page.getByLabel('密码', { exact: true }).fill(CITIZEN_PASSWORD);
      await page.getByRole('button', { name: '登 录' }).click();
      await page.waitForURL(new RegExp(`/citizen/approval/items/${item.id}/apply$`));
      await page.getByTestId('ap-apply-form').waitFor();
      expect(await page.getByTestId('ap-applicant').textContent()).toContain('热依拉·买买提');

      // submitting without the required material is stopped in the page
      await page.getByTestId('ap-submit').click();
      expect(await page.getByTestId('ap-material-error-1').textContent()).toBe('请上传「参保登记表」');
      // a wrong type is refused in the page before anything is sent
      await page.getByTestId('ap-file-1').setInputFiles({ name: '登记表.txt', mimeType: 'text/plain', buffer: Buffer.from('not a pdf') });
      expect(await page.getByTestId('ap-material-error-1').textContent()).toContain('只接受 PDF');
      await page.getByTestId('ap-file-1').setInputFiles({ name: '登记表.pdf', mimeType: 'application/pdf', buffer: PDF });
      await expect.poll(() => page.getByTestId('ap-material-error-1').count(), { timeout: 20_000 }).toBe(0);
      // a "PNG" that is really a PDF passes the page's check; the server looks at the content and refuses it
      await page.getByTestId('ap-file-2').setInputFiles({ name: '户口簿.png', mimeType: 'image/png', buffer: PDF });
      const key = await page.getByTestId('ap-apply-form').getAttribute('data-request-key');
      expect(key).toMatch(/^[0-9a-f-]{36}$/);
      await page.getByTestId('ap-submit').dblclick();
      await page.getByTestId('ap-partial').waitFor();
      // the server's problem+json (the files module compares the name's extension with the content), on the material
      expect(await page.getByTestId('ap-material-error-2').textContent()).toBe('文件扩展名与文件内容的类型不符');
      const cases = () => db.selectFrom('approval_case').select(['id', 'state']).where('item_id', '=', item.id).execute();
      expect(await cases()).toHaveLength(1);
      const [made] = await cases();
      // the same key from another request (a retry of the network, another tab) gives back the same case
      const again = await citizen.request('POST', '/api/citizen/approval/cases', { itemId: item.id, requestKey: key });
      expect(again.statusCode).toBe(200);
      expect(again.json().id).toBe(made!.id);
      // the right file, submitted again from the same form: the same case, only the missing file sent
      await page.getByTestId('ap-file-2').setInputFiles({ name: '户口簿.png', mimeType: 'image/png', buffer: PNG });
      await page.getByTestId('ap-submit').click();
      await page.waitForURL(new RegExp(`/citizen/approval/cases/${made!.id}$`));
      await page.getByTestId('ap-case-detail').waitFor();
      expect(await cases()).toHaveLength(1);
      const attached = await db.selectFrom('approval_case_material').select('material_seq').where('case_id', '=', made!.id).orderBy('material_seq').execute();
      expect(attached.map((a) => a.material_seq)).toEqual([1, 2]);

      // 我的办件: the case, its state, the clocks in words (not yet running)
      await page.getByRole('link', { name: '我的办件' }).click();
      const row = page.locator(`[data-testid=ap-case][data-case-id="${made!.id}"]`);
      await row.waitFor();
      expect(await row.getByTestId('ap-state').textContent()).toBe('待受理');
      expect(await row.getByTestId('ap-clock-statutory').textContent()).toBe('法定期限 受理后开始计时');

      // the counter accepts and asks for 补正 of the second material
      const staff = await login(suite!.app, clerk.username, clerk.password);
      const accepted = await staff.post(`/api/approval/cases/${made!.id}/accept`, {});
      expect(accepted.statusCode, accepted.body).toBe(200);
      const paused = await staff.post(`/api/approval/cases/${made!.id}/pause`, { pauseKind: 'correction', materials: [2], reason: '户口簿照片不清晰，请重新拍照上传', version: accepted.json().version });
      expect(paused.statusCode, paused.body).toBe(200);

      await page.reload();
      await row.waitFor();
      expect(await row.getByTestId('ap-state').textContent()).toBe('已受理');
      expect(await row.getByTestId('ap-clock-statutory').textContent()).toMatch(/^法定期限 截止 \d{4}-\d{2}-\d{2}，剩余 \d+ 个工作日（计时暂停中）$/);
      expect(await row.getByTestId('ap-clock-promised').textContent()).toMatch(/^承诺期限 截止 \d{4}-\d{2}-\d{2}，剩余 \d+ 个工作日/);
      expect(await fitsWidth(page)).toBe(true);

      // 办件详情: the 补正 request, the new photo, 补正完成
      await row.click();
      await page.getByTestId('ap-correction').waitFor();
      expect(await page.getByTestId('ap-correction').textContent()).toContain('户口簿照片不清晰');
      await page.getByTestId('ap-file-2').setInputFiles({ name: '户口簿-清晰.png', mimeType: 'image/png', buffer: PNG });
      await page.getByTestId('ap-uploaded-2').getByText('户口簿-清晰.png').waitFor();
      expect(await fitsWidth(page)).toBe(true);
      if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/screenshot-citizen-apply-390.png`, fullPage: true });
      await page.getByTestId('ap-resubmit').click();
      await expect.poll(() => page.getByTestId('ap-correction').count(), { timeout: 20_000 }).toBe(0);
      const pause = await db.selectFrom('approval_case_pause').select(['ended_on', 'kind']).where('case_id', '=', made!.id).executeTakeFirstOrThrow();
      expect(pause.kind).toBe('correction');
      expect(pause.ended_on).not.toBeNull();
      expect(await page.getByTestId('ap-timeline').textContent()).toContain('补正完成');
      // not decided yet: no rating; the citizen may still withdraw
      expect(await page.getByTestId('ap-rate').count()).toBe(0);
      await page.getByTestId('ap-withdraw').click();
      await page.getByRole('button', { name: /OK|确\s*定/ }).click();
      await expect.poll(async () => page.getByTestId('ap-case-detail').getByTestId('ap-state').textContent(), { timeout: 20_000 }).toBe('已撤回');
      expect((await db.selectFrom('approval_case').select('state').where('id', '=', made!.id).executeTakeFirstOrThrow()).state).toBe('withdrawn');
      expect(await page.getByTestId('ap-withdraw').count()).toBe(0);

      // a concluded case of hers (from the counter) offers the rating page
      const concluded = await newCase(db, item, { state: 'concluded', citizenId: profile.id, concludedOn: '2026-11-20' });
      await page.goto(`/citizen/approval/cases/${concluded.id}`);
      await page.getByTestId('ap-case-detail').waitFor();
      expect(await page.getByTestId('ap-rate').getAttribute('href')).toBe(`/citizen/rate/${concluded.id}`);
      expect(await page.getByTestId('ap-withdraw').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 180_000);

  it('creates an item at 1440 px with two materials and a step limit; promised > statutory is refused on its field', async () => {
    const { db } = await testDb();
    const dept = await newDepartment(db, { regionCode: '650502', name: `哈密市伊州区市场监督管理局${uniq()}` });
    const admin = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_admin', regionCode: '650502' }] });
    const code = uniq('SX-');
    const { page, errors, close } = await openPage({ width: 1440, height: 1000 });
    try {
      await fillLogin(page, admin.username, admin.password);
      await page.waitForSelector('[data-testid=current-user]');
      await page.goto('/approval/items');
      await page.getByTestId('item-new').click();
      const editor = page.getByTestId('item-editor');
      await editor.waitFor();
      await editor.getByLabel('事项编码').fill(code);
      await editor.getByLabel('事项名称').fill('小餐饮经营许可');
      await pickOption(page, editor.getByLabel('实施部门'), dept.name);
      await editor.getByLabel('设定依据').fill('《新疆维吾尔自治区食品小作坊、小餐饮店、小食杂店和食品摊贩管理条例》第十二条');
      await editor.getByLabel('法定时限（工作日）').fill('10');
      await editor.getByLabel('承诺时限（工作日）').fill('15');
      // a second material, and a limit on the review step
      await page.getByTestId('item-add-material').click();
      await page.getByTestId('item-material-1').getByLabel('材料名称').fill('营业执照');
      await page.getByTestId('item-material-1').getByLabel('大小上限（MB）').fill('5');
      await page.getByTestId('item-step-1').getByLabel('环节时限（工作日，可空）').fill('4');
      await page.getByTestId('item-editor-save').click();
      // the server's refusal, on the field it names
      const promised = editor.locator('.ant-form-item').filter({ has: page.getByTestId('item-editor-promised') });
      await expect.poll(async () => (await promised.locator('.ant-form-item-explain-error').allTextContents()).join(), { timeout: 20_000 }).toBe('承诺时限不能长于法定时限');
      expect(await db.selectFrom('approval_item').select('id').where('code', '=', code).executeTakeFirst()).toBeUndefined();
      if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/screenshot-approval-item-editor.png` });

      await editor.getByLabel('承诺时限（工作日）').fill('8');
      await page.getByTestId('item-editor-save').click();
      await page.getByTestId('item-editor').waitFor({ state: 'detached' });
      const saved = await db.selectFrom('approval_item').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
      expect([saved.statutory_days, saved.promised_days, saved.department_id]).toEqual([10, 8, dept.id]);
      const materials = await db.selectFrom('approval_item_material').select(['seq', 'name', 'max_bytes', 'mime_types']).where('item_id', '=', saved.id).orderBy('seq').execute();
      expect(materials.map((m) => [m.seq, m.name, m.max_bytes])).toEqual([
        [1, '申请书', 10 * 1024 * 1024],
        [2, '营业执照', 5 * 1024 * 1024],
      ]);
      const steps = await db.selectFrom('approval_item_step').select(['step', 'limit_days']).where('item_id', '=', saved.id).orderBy('seq').execute();
      expect(steps.find((s) => s.step === 'review')?.limit_days).toBe(4);

      // edit: a new version; then retire
      await page.getByTestId('approval-item-search').locator('input').fill(code);
      await page.getByTestId('approval-item-search').locator('input').press('Enter');
      await page.locator('tr').filter({ hasText: code }).getByTestId('item-edit').click();
      await editor.getByText('当前版本 v1').waitFor();
      await editor.getByLabel('事项名称').fill('小餐饮经营许可（登记）');
      await page.getByTestId('item-editor-save').click();
      await page.getByTestId('item-editor').waitFor({ state: 'detached' });
      const edited = await db.selectFrom('approval_item').select(['name', 'version']).where('id', '=', saved.id).executeTakeFirstOrThrow();
      expect(edited).toEqual({ name: '小餐饮经营许可（登记）', version: 2 });
      await page.locator('tr').filter({ hasText: code }).getByTestId('item-retire').click();
      await page.getByRole('button', { name: /OK|确\s*定/ }).click();
      await expect.poll(async () => (await db.selectFrom('approval_item').select('status').where('id', '=', saved.id).executeTakeFirstOrThrow()).status, { timeout: 20_000 }).toBe('retired');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 180_000);
});
