// The audit page's API for 纪委 and 审计 staff: names instead of ids, search in Chinese, XLSX export, after-hours alerts.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, testApp, type Client } from '../../../test/support/app.ts';
import { testDb } from '../../../test/support/db.ts';
import { newDepartment, newUser, uniq } from '../../../test/support/factories.ts';
import { PERMISSIONS } from '../../shared/access.ts';
import { ACTIONS, actionLabel, matchActions } from './catalogue.ts';
import { appendAudit } from './repository.ts';

let db: Awaited<ReturnType<typeof testDb>>['db'];
let app: Awaited<ReturnType<typeof testApp>>['app'];
let auditor: Client;
let staff: Awaited<ReturnType<typeof newUser>>;
let dept: Awaited<ReturnType<typeof newDepartment>>;

interface Item {
  action: string;
  actionLabel: { zh: string; en: string };
  actorName: string | null;
  actorDisplayName: string | null;
  departmentName: string | null;
  regionName: string | null;
  regionCode: string | null;
  objectName: string | null;
  detailFields: { key: string; label: { zh: string }; value: unknown }[];
}

beforeAll(async () => {
  ({ db } = await testDb());
  ({ app } = await testApp());
  dept = await newDepartment(db, { regionCode: '650502', name: `伊州区审计测试局${uniq()}` });
  staff = await newUser(db, { departmentId: dept.id, grants: [{ role: 'department_staff', regionCode: '650502' }] });
  await login(app, staff.username, staff.password);
  await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: staff.username, password: 'wrong-password-1' } });
  const a = await newUser(db, { regionCode: '650502', grants: [{ role: 'auditor', regionCode: '650502' }] });
  auditor = await login(app, a.username, a.password);
});

describe('audit list for people, not ids', () => {
  it('resolves actor, department, region, object and action to names, and the detail to labelled fields', async () => {
    const res = await auditor.get(`/api/audit?person=${staff.username}`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Item[];
    const signIn = items.find((i) => i.action === 'auth.login' && i.actorName === staff.username)!;
    expect(signIn).toMatchObject({
      actionLabel: { zh: '登录', en: 'Sign-in' },
      actorDisplayName: `测试用户${staff.username}`,
      departmentName: dept.name,
      regionName: '伊州区',
      objectName: `测试用户${staff.username} (${staff.username})`,
    });
    const failed = items.find((i) => i.detailFields.some((f) => f.key === 'failures'))!;
    expect(failed.detailFields).toEqual(
      expect.arrayContaining([
        { key: 'failures', label: { zh: '连续失败次数', en: 'Consecutive failures' }, value: 1 },
        { key: 'locked', label: { zh: '已锁定', en: 'Locked' }, value: false },
      ]),
    );
  });

  it('finds by action in Chinese or English, by person, department and object; unknown words find nothing', async () => {
    const byZh = (await auditor.get(`/api/audit?action=${encodeURIComponent('登录')}&person=${staff.username}`)).json().items as Item[];
    expect(byZh.length).toBe(2);
    expect(byZh.every((i) => i.action === 'auth.login')).toBe(true);
    const byEn = (await auditor.get(`/api/audit?action=sign-in&person=${staff.username}`)).json().items as Item[];
    expect(byEn.length).toBe(2);
    const byCode = (await auditor.get(`/api/audit?action=auth.&person=${encodeURIComponent(`测试用户${staff.username}`)}`)).json().items as Item[];
    expect(byCode.length).toBe(2);
    const byDept = (await auditor.get(`/api/audit?department=${encodeURIComponent(dept.name.slice(0, 12))}&action=${encodeURIComponent('登录')}`)).json().items as Item[];
    expect(byDept.some((i) => i.actorName === staff.username)).toBe(true);
    expect(byDept.every((i) => i.departmentName?.startsWith('伊州区审计测试局'))).toBe(true);
    const byObject = (await auditor.get(`/api/audit?object=${encodeURIComponent(`测试用户${staff.username}`)}`)).json().items as Item[];
    // the two sign-ins, and the factory's create: test factories write through the service as the system actor
    expect(byObject.map((i) => i.action).sort()).toEqual(['auth.login', 'auth.login', 'user.create']);
    expect(byObject.find((i) => i.action === 'user.create')).toMatchObject({ actorName: 'system', regionCode: '650502' });
    const none = await auditor.get(`/api/audit?action=${encodeURIComponent('不存在的操作')}`);
    expect(none.statusCode).toBe(200);
    expect(none.json().items).toEqual([]);
  });

  it('refuses control characters in search text with a problem naming the field, and writes nothing', async () => {
    const before = await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
    const res = await auditor.get(`/api/audit?person=${encodeURIComponent('a\u0001b')}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'request.invalid', field: 'person' });
    expect((await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq).toBe(before.seq);
  });
});

describe('XLSX export', () => {
  it('streams the filtered records as a workbook with Chinese headers, and audits the export', async () => {
    const res = await auditor.get(`/api/audit/export.xlsx?person=${staff.username}&action=${encodeURIComponent('登录')}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-\d{4}-\d{2}-\d{2}\.xlsx"/);
    expect(res.headers).toMatchObject({ 'x-export-total': '2', 'x-export-rows': '2', 'x-export-truncated': 'false' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('审计日志')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 7)).toEqual(['序号', '时间', '操作人', '用户名', '部门', '角色', '操作']);
    expect(sheet.rowCount).toBe(3);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(row[2]).toBe(`测试用户${staff.username}`);
    expect(row[3]).toBe(staff.username);
    expect(row[4]).toBe(dept.name);
    expect(row[6]).toBe('登录');
    const last = await db.selectFrom('audit_log').select(['action', 'detail']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: 'audit.export', detail: { total: 2, person: staff.username, action: '登录' } });
  });

  it('is closed to roles without audit.read, and nothing is recorded as exported', async () => {
    const client = await login(app, staff.username, staff.password);
    const res = await client.get('/api/audit/export.xlsx');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.forbidden');
    const exports = await db.selectFrom('audit_log').select('seq').where('action', '=', 'audit.export').where('actor_id', '=', staff.id).execute();
    expect(exports).toEqual([]);
  });
});

describe('after-hours alerts', () => {
  it('lists reads of personal data outside 08:00–20:00 Asia/Shanghai or at weekends, within the jurisdiction, with a total', async () => {
    const reader = uniq('night');
    const at = (iso: string, action: string, regionCode = '650502') =>
      db.transaction().execute((trx) =>
        appendAudit(trx, {
          at: new Date(iso),
          actorId: null,
          actorName: reader,
          role: 'department_staff',
          departmentId: null,
          action,
          objectType: 'user',
          objectId: null,
          regionCode,
          outcome: 'success',
          clientAddr: '10.0.0.1',
          requestId: null,
          detail: null,
        }),
      );
    await at('2026-11-25T14:30:00Z', 'user.list'); // Wed 22:30 in Shanghai
    await at('2026-11-28T02:00:00Z', 'user.read'); // Sat 10:00
    await at('2026-11-24T23:59:00Z', 'audit.list'); // Wed 07:59
    await at('2026-11-25T03:00:00Z', 'user.read'); // Wed 11:00: working hours
    await at('2026-11-25T11:59:59Z', 'user.read'); // Wed 19:59:59: working hours
    await at('2026-11-25T14:30:00Z', 'auth.login'); // at night, but not a read of personal data
    await at('2026-11-25T14:30:00Z', 'user.read', '650521'); // another county
    const res = await auditor.get(`/api/audit/alerts?person=${reader}&limit=2`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(3);
    expect(body.items.map((i: Item) => i.action)).toEqual(['audit.list', 'user.read']);
    expect(body.nextCursor).not.toBeNull();
    const rest = (await auditor.get(`/api/audit/alerts?person=${reader}&cursor=${body.nextCursor}`)).json();
    expect(rest.items.map((i: Item) => i.action)).toEqual(['user.list']);
    const elsewhere = await newUser(db, { regionCode: '650521', grants: [{ role: 'auditor', regionCode: '650521' }] });
    const theirs = (await (await login(app, elsewhere.username, elsewhere.password)).get(`/api/audit/alerts?person=${reader}`)).json();
    expect(theirs).toMatchObject({ total: 1, items: [{ action: 'user.read', regionCode: '650521' }] });
    const read = await db.selectFrom('audit_access').select(['resource', 'detail']).where('request_id', '=', res.headers['x-request-id'] as string).executeTakeFirstOrThrow();
    expect(read).toMatchObject({ resource: 'audit_log', detail: { view: 'audit.alerts' } });
  });
});

describe('action catalogue', () => {
  it('labels every action the code base records', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const recorded = new Set<string>();
    for (const file of files) {
      for (const line of fs.readFileSync(path.join(root, file), 'utf8').split('\n')) {
        if (!/\baction\b|recordChange\(/.test(line)) continue;
        for (const m of line.matchAll(/'([a-z]+\.[a-z_]+)'/g)) recorded.add(m[1]!);
        // run-time families (`http.${method} …`) must have a family label
        for (const m of line.matchAll(/`([a-z]+\.)\$\{/g)) expect(actionLabel(`${m[1]}x`).zh).not.toBe(`${m[1]}x`);
      }
    }
    expect(recorded.size).toBeGreaterThan(20);
    const missing = [...recorded].filter((code) => !(code in ACTIONS) && !(PERMISSIONS as readonly string[]).includes(code));
    expect(missing).toEqual([]);
  });

  it('maps Chinese and English words and code prefixes to codes', () => {
    expect(matchActions('登录').codes).toEqual(['auth.login', 'auth.logout', 'auth.second_factor', 'auth.second_factor_sent', 'auth.second_factor_resent']);
    expect(matchActions('用户').codes).toContain('user.create');
    expect(matchActions('Sign-in').codes).toEqual(['auth.login', 'auth.second_factor', 'auth.second_factor_sent', 'auth.second_factor_resent']);
    expect(matchActions('user.').prefixes).toEqual(['user.']);
  });
});
