// The demo seed on a fresh in-memory database of its own (it adds ~230 departments and ~9,500 users), through the real app.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { openPglite, type DatabaseHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { buildApp } from '../http/app.ts';
import type { App } from '../http/types.ts';
import { validateCreditCode } from '../modules/departments/index.ts';
import { importRegions } from '../modules/regions/index.ts';
import { planDepartments } from './catalog.ts';
import { DEMO_PASSWORD, listDemoAccounts, seedDemo, type SeedResult } from './index.ts';
import { UsernamePool, personName } from './names.ts';
import { MOBILE_NUMBER } from './phones.ts';
import { prng } from './prng.ts';

let handle: DatabaseHandle;
let app: App;
let first: SeedResult;
let seedMs: number;
const progress: { step: string; done: number; total: number }[] = [];

const count = async (table: 'department' | 'app_user' | 'role_grant' | 'audit_log') =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(handle.db)).rows[0]!.n;

beforeAll(async () => {
  handle = openPglite(undefined);
  await migrateToLatest(handle.db);
  await importRegions(handle.db, '6505');
  const started = performance.now();
  first = await seedDemo(handle.db, { prefecture: '6505', onProgress: (step, done, total) => progress.push({ step, done, total }) });
  seedMs = performance.now() - started;
  ({ app } = await buildApp({ db: handle.db, config: loadConfig({}), serveWeb: false }));
});

afterAll(async () => {
  await app?.close();
  await handle?.close();
});

async function signIn(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  return `govcloud_sid=${res.cookies.find((c) => c.name === 'govcloud_sid')!.value}`;
}

describe('seedDemo', () => {
  it('seeds ~250 departments and 2,000–3,000 staff in one go, reporting progress', async () => {
    expect(first.departments).toBeGreaterThanOrEqual(200);
    expect(await count('department')).toBe(first.departments);
    expect(first.users).toBeGreaterThanOrEqual(8000);
    expect(first.users).toBeLessThanOrEqual(11000);
    expect(await count('app_user')).toBe(first.users);
    const last = progress[progress.length - 1]!;
    expect(last.done).toBe(last.total);
    expect(new Set(progress.map((p) => p.step))).toEqual(new Set(['departments', 'staff', 'accounts']));
    console.info(`seedDemo on PGlite: ${Math.round(seedMs)} ms for ${first.departments} departments and ${first.users} users`);
  });

  it('gives most departments a credit code, every one valid and unique', async () => {
    const rows = await handle.db.selectFrom('department').select(['code', 'credit_code', 'region_code']).execute();
    const codes = rows.flatMap((r) => (r.credit_code ? [r.credit_code] : []));
    expect(codes.length / rows.length).toBeGreaterThan(0.8);
    for (const code of codes) expect(validateCreditCode(code), code).toEqual({ ok: true });
    expect(new Set(codes).size).toBe(codes.length);
    for (const row of rows.filter((r) => r.credit_code)) expect(row.credit_code!.slice(2, 8)).toBe(row.region_code.slice(0, 6).padEnd(6, '0'));
  });

  it('places departments in real regions, with parents in the same or an enclosing region', async () => {
    const rows = await handle.db
      .selectFrom('department as d')
      .innerJoin('region as r', 'r.code', 'd.region_code')
      .leftJoin('department as p', 'p.id', 'd.parent_id')
      .leftJoin('region as pr', 'pr.code', 'p.region_code')
      .select(['d.code', 'd.kind', 'r.level', 'r.path', 'pr.path as parent_path', 'd.parent_id'])
      .execute();
    const levels = new Map<number, number>();
    for (const row of rows) levels.set(row.level, (levels.get(row.level) ?? 0) + 1);
    expect(levels.get(1)).toBeGreaterThanOrEqual(100); // the prefecture's own bodies
    expect(levels.get(2)).toBeGreaterThanOrEqual(3 * 15); // three counties
    expect(levels.get(3)).toBeGreaterThanOrEqual(40); // township and street offices
    for (const row of rows.filter((r) => r.parent_id)) expect(row.path.startsWith(row.parent_path!), row.code).toBe(true);
    expect(rows.filter((r) => r.parent_id).length).toBeGreaterThan(rows.length / 2);
    const names = await handle.db.selectFrom('department').select('name').execute();
    const all = names.map((n) => n.name);
    for (const expected of ['中共哈密市委办公室', '哈密市人民政府办公室', '哈密市人力资源和社会保障局', '伊州区人民政府办公室', '巴里坤哈萨克自治县卫生健康委员会', '伊吾县教育局', '东河街道办事处']) {
      expect(all).toContain(expected);
    }
  });

  it('creates staff that cannot sign in, a few with grants', async () => {
    const staff = await handle.db.selectFrom('app_user').select(['username', 'display_name', 'password_hash']).where('password_hash', 'is', null).execute();
    expect(staff.length).toBeGreaterThanOrEqual(8000);
    for (const s of staff) {
      expect(s.username).toMatch(/^[a-z][a-z0-9.]*$/);
      expect(s.display_name).toMatch(/^\p{Script=Han}+(·\p{Script=Han}+)?$/u);
    }
    const granted = await handle.db
      .selectFrom('role_grant as g')
      .innerJoin('app_user as u', 'u.id', 'g.user_id')
      .select(['g.role'])
      .where('u.password_hash', 'is', null)
      .execute();
    expect(granted.length).toBeGreaterThanOrEqual(10);
    expect(granted.every((g) => g.role === 'department_staff')).toBe(true);
  });

  it('creates demo accounts that sign in through the real app with the documented password', async () => {
    expect(first.accounts.map((a) => a.username)).toEqual(['admin', 'yizhou.admin', 'secadmin', 'auditadmin', 'jiwei', 'shenji', 'leader', 'rsj.staff', 'grid.worker', 'street.staff']);
    const community = await handle.db.selectFrom('region').select(['code', 'parent_code']).where('level', '=', 4).where('path', 'like', '/6505/650502/%').orderBy('code').executeTakeFirstOrThrow();
    const expected = { admin: ['platform_admin', '6505'], secadmin: ['security_admin', '6505'], auditadmin: ['audit_admin', '6505'], 'yizhou.admin': ['department_admin', '650502'], jiwei: ['supervisor', '6505'], shenji: ['auditor', '6505'], leader: ['leader', '6505'], 'rsj.staff': ['department_staff', '6505'], 'grid.worker': ['community_worker', community.code], 'street.staff': ['department_staff', community.parent_code!] } as const;
    for (const account of first.accounts) {
      expect(account.password).toBe(DEMO_PASSWORD);
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: account.username, password: account.password } });
      expect(res.statusCode, `${account.username}: ${res.body}`).toBe(200);
      const [role, region] = expected[account.username as keyof typeof expected];
      expect(account.role).toBe(role);
      expect(res.json().user.grants).toEqual([expect.objectContaining({ role, regionCode: region })]);
      expect(res.json().user.department).not.toBeNull();
    }
    const admin = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: DEMO_PASSWORD } });
    expect(admin.json().user.department.name).toBe('哈密市政务服务和大数据管理局');
    const rsj = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'rsj.staff', password: DEMO_PASSWORD } });
    expect(rsj.json().user.department.name).toBe('哈密市人力资源和社会保障局');
  });

  it('lets the grid worker see only the departments of their own community', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'grid.worker', password: DEMO_PASSWORD } });
    const cookie = login.cookies.find((c) => c.name === 'govcloud_sid')!;
    const res = await app.inject({ method: 'GET', url: '/api/departments?limit=500', headers: { cookie: `govcloud_sid=${cookie.value}` } });
    expect(res.statusCode).toBe(200);
    const community = await handle.db.selectFrom('region').select(['code', 'name']).where('level', '=', 4).where('path', 'like', '/6505/650502/%').orderBy('code').executeTakeFirstOrThrow();
    expect(res.json().items).toEqual([expect.objectContaining({ regionCode: community.code, name: community.name, kind: 'mass_org' })]);
    expect(login.json().user.department.name).toBe(community.name);
  });

  it('gives every seeded account a distinct, plausible mobile number, shown masked in the directory', async () => {
    const rows = await handle.db.selectFrom('app_user').select(['username', 'phone']).execute();
    for (const row of rows) expect(row.phone ?? '', row.username).toMatch(MOBILE_NUMBER);
    expect(new Set(rows.map((r) => r.phone)).size).toBe(rows.length);
    // the leader reads the directory without users.read_sensitive (the system administrator sees numbers unmasked, D41)
    const cookie = await signIn('leader');
    const page = (await app.inject({ method: 'GET', url: '/api/users?limit=20', headers: { cookie } })).json();
    expect(page.items).toHaveLength(20);
    for (const user of page.items) expect(user.phone).toMatch(/^1[3-9][0-9]\*{4}[0-9]{4}$/);
  });

  it('lists departments in the customary order and a first page of users with many surnames', async () => {
    const cookie = await signIn('admin');
    const departments = (await app.inject({ method: 'GET', url: '/api/departments?limit=500', headers: { cookie } })).json();
    expect(departments.total).toBe(first.departments);
    const kinds = [...new Set((departments.items as { kind: string }[]).map((d) => d.kind))];
    expect(kinds.slice(0, 6)).toEqual(['party', 'people_congress', 'government', 'cppcc', 'court', 'procuratorate']);
    expect(departments.items[0].name).toBe('中共哈密市委办公室');
    const users = (await app.inject({ method: 'GET', url: '/api/users?limit=20', headers: { cookie } })).json();
    expect(users.total).toBe(await count('app_user'));
    const surnames = new Set((users.items as { displayName: string }[]).map((u) => u.displayName[0]));
    expect(surnames.size).toBeGreaterThanOrEqual(8);
  });

  it('writes one seed.demo audit record', async () => {
    const records = await handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'seed.demo').execute();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ actor_id: null, actor_name: 'system', region_code: '6505', outcome: 'success' });
    expect(records[0]!.detail).toMatchObject({ departments: first.departments });
  });

  it('creates nothing on a second run and still lists the demo accounts', async () => {
    const before = { departments: await count('department'), users: await count('app_user'), grants: await count('role_grant') };
    const again = await seedDemo(handle.db, { prefecture: '6505' });
    expect(again.departments).toBe(0);
    expect(again.users).toBe(0);
    expect(again.accounts.map((a) => a.username)).toEqual(first.accounts.map((a) => a.username));
    expect({ departments: await count('department'), users: await count('app_user'), grants: await count('role_grant') }).toEqual(before);
    expect(await handle.db.selectFrom('audit_log').select('seq').where('action', '=', 'seed.demo').execute()).toHaveLength(1);
  });

  it('stops listing a demo account whose password was changed', async () => {
    const listed = await listDemoAccounts(handle.db);
    expect(listed).toHaveLength(10);
    await handle.db.updateTable('app_user').set({ password_hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA' }).where('username', '=', 'leader').execute();
    expect((await listDemoAccounts(handle.db)).map((a) => a.username)).not.toContain('leader');
  });

  it('refuses a prefecture whose regions are not imported', async () => {
    await expect(seedDemo(handle.db, { prefecture: '6504' })).rejects.toThrow(/import the prefecture's regions/);
  });
});

describe('demo data generators', () => {
  it('are deterministic', () => {
    const names = (seed: string) => {
      const rng = prng(seed);
      const pool = new UsernamePool();
      return Array.from({ length: 50 }, () => {
        const p = personName(rng);
        return `${pool.take(p.usernameStem)} ${p.displayName}`;
      });
    };
    expect(names('6505')).toEqual(names('6505'));
    expect(names('6505')).not.toEqual(names('6504'));
  });

  it('plans parents before children, with unique codes', () => {
    const plan = planDepartments({
      prefecture: { code: '6505', name: '哈密市' },
      counties: [{ code: '650502', name: '伊州区' }],
      townships: [
        { code: '650502001', name: '东河街道', countyCode: '650502' },
        { code: '650502501', name: '兵团红星二场', countyCode: '650502' },
      ],
      communities: [
        { code: '650502001002', name: '建国北路社区居委会', townshipCode: '650502001' },
        { code: '650502001014', name: '高新北社区', townshipCode: '650502001' },
        { code: '650502001015', name: '上阿牙村', townshipCode: '650502001' },
      ],
    });
    const seen = new Set<string>();
    for (const p of plan) {
      if (p.parentCode) expect(seen.has(p.parentCode), `${p.code} before ${p.parentCode}`).toBe(true);
      expect(seen.has(p.code)).toBe(false);
      seen.add(p.code);
    }
    expect(plan.find((p) => p.code === '650502001-JD')).toMatchObject({ name: '东河街道办事处', parentCode: '650502-ZFB', kind: 'government' });
    expect(plan.some((p) => p.regionCode === '650502501')).toBe(false); // XPCC farms are not the prefecture's
    expect(plan.filter((p) => p.tier === 'community').map((p) => [p.name, p.parentCode])).toEqual([
      ['建国北路社区居委会', '650502001-JD'],
      ['高新北社区居民委员会', '650502001-JD'],
      ['上阿牙村村民委员会', '650502001-JD'],
    ]);
    expect(plan.find((p) => p.code === '650502-GAJ')!.name).toBe('哈密市公安局伊州区分局');
    const prefectureArea = planDepartments({ prefecture: { code: '6505', name: '哈密地区' }, counties: [], townships: [] });
    expect(prefectureArea.find((p) => p.code === '6505-SWB')!.name).toBe('中共哈密地委办公室');
    expect(prefectureArea.find((p) => p.code === '6505-SZF')!.name).toBe('哈密地区行政公署办公室');
  });
});
